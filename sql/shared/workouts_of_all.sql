-- The FROM and WHERE of an admin's workout list without ?client_id=: every workout (a date range searches
-- workouts_scheduled). The rows of sql/training/workouts/page_all.sql, and what count_all.sql counts.
FROM workouts w
WHERE :caller_role = 'admin'
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to

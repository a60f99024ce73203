-- runs long
-- An admin's list without ?client_id=: every workout (a date range searches workouts_scheduled).
SELECT COUNT(*)
FROM workouts w
WHERE :caller_role = 'admin'
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to

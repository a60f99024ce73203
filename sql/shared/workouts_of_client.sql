-- The FROM and WHERE of one client's workout list (searched through workouts_client), within the caller's scope:
-- the rows of sql/training/workouts/page_client.sql, and what count_client.sql counts past the last page.
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.client_id = :client_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to

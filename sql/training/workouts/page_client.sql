-- One client's workouts (searched through workouts_client), within the caller's scope.
SELECT w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
       w.completed_at,
       -- The number of rows the filters match, before LIMIT: the page's `total` without a COUNT statement of its
       -- own (elior.training.workouts.list_workouts counts apart only when the page comes back empty).
       COUNT(*) OVER () AS total
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.client_id = :client_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
{{ workout_order }}
LIMIT :limit OFFSET :offset

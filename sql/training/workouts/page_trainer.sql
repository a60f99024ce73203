-- A trainer's list without ?client_id=: the workouts of the clients of trainer_id (the caller), searched through
-- users_trainer then workouts_client; the visibility rule still applies, as to every list.
SELECT w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
       w.completed_at,
       -- The number of rows the filters match, before LIMIT: the page's `total` without a COUNT statement of its
       -- own (elior.training.workouts.list_workouts counts apart only when the page comes back empty).
       COUNT(*) OVER () AS total
FROM users c
JOIN workouts w ON w.client_id = c.id
WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
{{ workout_order }}
LIMIT :limit OFFSET :offset

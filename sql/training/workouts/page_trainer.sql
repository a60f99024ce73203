-- A trainer's list without ?client_id=: the workouts of their clients (users_trainer, then workouts_client).
SELECT w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
       w.completed_at
FROM users c
JOIN workouts w ON w.client_id = c.id
WHERE :caller_role = 'trainer' AND c.trainer_id = :caller_id
  AND (CAST(:status AS TEXT) IS NULL OR w.status = :status)
  -- Dates are always bound (the widest range when not asked for), so the range can use the index.
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
-- `sort` is the position of `?order=` in the allow-list of elior/training/workouts.py (even: ascending, odd: descending).
ORDER BY CASE WHEN :sort = 0 THEN w.scheduled_for END,
         CASE WHEN :sort = 1 THEN w.scheduled_for END DESC,
         CASE WHEN :sort = 2 THEN w.created_at END,
         CASE WHEN :sort = 3 THEN w.created_at END DESC,
         CASE WHEN :sort = 4 THEN lower(w.title) END,
         CASE WHEN :sort = 5 THEN lower(w.title) END DESC,
         CASE WHEN :sort = 6 THEN w.status END,
         CASE WHEN :sort = 7 THEN w.status END DESC,
         CASE WHEN :sort % 2 = 1 THEN w.id END DESC,
         w.id
LIMIT :limit OFFSET :offset

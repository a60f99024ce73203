-- The workout a comment thread hangs on, when the caller may see it, and whether it has been logged.
SELECT w.id, w.client_id, w.title, w.scheduled_for,
       (SELECT l.id FROM workout_logs l WHERE l.workout_id = w.id) AS log_id
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id

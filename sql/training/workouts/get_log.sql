-- The log of one workout, only if the caller may see the workout's client.
SELECT l.id, l.workout_id, l.client_id, l.logged_by, l.performed_at, l.duration_minutes, l.rating, l.notes,
       l.created_at
FROM workout_logs l
JOIN workouts w ON w.id = l.workout_id
JOIN users c ON c.id = w.client_id
 AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
WHERE l.workout_id = :workout_id

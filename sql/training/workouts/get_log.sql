-- The log of one workout, only if the caller may see the workout's client.
SELECT l.id, l.workout_id, l.client_id, l.logged_by, l.performed_at, l.duration_minutes, l.rating, l.notes,
       l.created_at
FROM workout_logs l
JOIN workouts w ON w.id = l.workout_id
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE l.workout_id = :workout_id

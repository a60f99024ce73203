-- As workouts.get, locking the row so that two logs or an edit and a log of one workout queue, not interleave.
SELECT {{ workout_columns }}
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id
FOR UPDATE OF w

-- One workout, only if the caller may see it: the client, their trainer, an admin (sql/README.md).
SELECT {{ workout_columns }}
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id

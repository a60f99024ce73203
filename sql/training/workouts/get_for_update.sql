-- As workouts.get, inside a write transaction (SQLite's one writer already serialises those).
SELECT {{ workout_columns }}
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id

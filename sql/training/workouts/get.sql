-- One workout, only if the caller may see it: the client, their trainer, an admin (sql/README.md).
SELECT w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
       w.completed_at
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id

-- As workouts.get, locking the row so that two logs or an edit and a log of one workout queue, not interleave.
SELECT w.id, w.client_id, w.trainer_id, w.title, w.notes, w.scheduled_for, w.status, w.created_at, w.updated_at,
       w.completed_at
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE w.id = :id
FOR UPDATE OF w

-- A comment on a logged workout by one of the two sides: the client, or their trainer (admins read, not write).
INSERT INTO workout_comments (workout_id, client_id, author_id, body, created_at)
SELECT w.id, w.client_id, :caller_id, :body, :now
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }} AND :caller_role <> 'admin'
WHERE w.id = :workout_id
RETURNING id

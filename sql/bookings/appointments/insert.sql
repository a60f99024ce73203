-- A place in a session, for a client the caller may see, with the trainer the client has now.
INSERT INTO appointments (trainer_id, client_id, type_id, starts_at, ends_at, buffer_minutes, notes, created_by,
                          created_at, updated_at)
SELECT c.trainer_id, c.id, :type_id, :starts_at, :ends_at, :buffer_minutes, :notes, :caller_id, :now, :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client' AND c.trainer_id = :trainer_id
  AND {{ caller_sees_client }}
RETURNING id

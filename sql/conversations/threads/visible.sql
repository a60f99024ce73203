-- The client whose thread is asked for, when the caller may see that client (admins may: they read for support).
SELECT c.id AS client_id, c.full_name AS client_name, c.trainer_id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

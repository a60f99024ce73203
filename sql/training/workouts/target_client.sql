-- A client the caller may assign work to: their own client, or any client for an admin. NULL row: 404.
SELECT c.id, c.trainer_id
FROM users c
WHERE c.id = :client_id AND c.role = 'client' AND :caller_role <> 'client'
  AND (:caller_role = 'admin' OR c.trainer_id = :caller_id)

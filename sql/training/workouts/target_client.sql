-- A client the caller may assign work to (sql/shared/caller_coaches_client.sql): their own client, or any client
-- for an admin. No row: 404.
SELECT c.id, c.trainer_id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_coaches_client }}

-- Opens the client's thread for a write by one of its two participants (the client, or their trainer: the rule of
-- sql/shared/caller_sees_client.sql less admins, who read threads but do not write in them) and takes its row: on
-- PostgreSQL ON CONFLICT DO UPDATE locks it, on SQLite the transaction holds the only writer. Every write to a
-- thread starts here, so writes to one thread commit one at a time and messages get their ids in commit order.
-- No row: the caller is not a participant of that client's thread (answered 404).
INSERT INTO conversations (client_id, last_message_id, last_message_at, created_at)
SELECT c.id, NULL, NULL, :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }} AND :caller_role <> 'admin'
ON CONFLICT (client_id) DO UPDATE SET client_id = excluded.client_id
RETURNING client_id

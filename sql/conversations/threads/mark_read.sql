-- The caller has read their thread up to :message_id, a message of it. Only ever forward: reading an older page
-- again does not unread the newer messages. No row: no such message in a thread the caller takes part in, or the
-- mark would not move forward.
INSERT INTO conversation_reads (client_id, user_id, last_read_id, read_at)
SELECT m.client_id, :caller_id, m.id, :now
FROM messages m
JOIN users c ON c.id = m.client_id
 AND {{ caller_sees_client }} AND :caller_role <> 'admin'
WHERE m.id = :message_id AND m.client_id = :client_id
ON CONFLICT (client_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id, read_at = excluded.read_at
WHERE conversation_reads.last_read_id < excluded.last_read_id
RETURNING client_id, user_id, last_read_id, read_at

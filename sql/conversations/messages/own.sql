-- The caller's own message, for an edit or a delete (inside the thread's write; see threads.open): its age decides
-- whether the window is still open. No row: not a message of theirs in that thread.
SELECT m.id, m.sender_id, m.created_at, m.deleted_at,
       (SELECT count(*) FROM message_attachments a WHERE a.message_id = m.id) AS attachments
FROM messages m
JOIN users c ON c.id = m.client_id
 AND {{ caller_sees_client }}
WHERE m.id = :id AND m.client_id = :client_id AND m.sender_id = :caller_id

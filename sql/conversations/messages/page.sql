-- One page of a thread, newest first, before the message id :before (keyset paging: the same cost at either end of
-- a long thread, through messages_thread), with each message's attachments in order.
WITH page AS (
    SELECT m.id, m.client_id, m.sender_id, m.body, m.created_at, m.edited_at, m.deleted_at
    FROM messages m
    JOIN users c ON c.id = m.client_id
     AND {{ caller_sees_client }}
    WHERE m.client_id = :client_id AND m.id < :before
    ORDER BY m.id DESC
    LIMIT :limit
)
SELECT page.*, s.full_name AS sender_name, a.position, f.filename, f.content_type, f.size
FROM page
LEFT JOIN users s ON s.id = page.sender_id
LEFT JOIN message_attachments a ON a.message_id = page.id
LEFT JOIN files f ON f.filename = a.filename
ORDER BY page.id DESC, a.position

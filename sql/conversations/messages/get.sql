-- One message of a thread the caller may see, with its attachments in order.
SELECT m.id, m.client_id, m.sender_id, m.body, m.created_at, m.edited_at, m.deleted_at,
       s.full_name AS sender_name, a.position, f.filename, f.content_type, f.size
FROM messages m
JOIN users c ON c.id = m.client_id
 AND {{ caller_sees_client }}
LEFT JOIN users s ON s.id = m.sender_id
LEFT JOIN message_attachments a ON a.message_id = m.id
LEFT JOIN files f ON f.filename = a.filename
WHERE m.id = :id AND m.client_id = :client_id
ORDER BY a.position

-- Whether :message_id is a message of the client's thread the caller takes part in (mark_read answered no row).
SELECT m.id
FROM messages m
JOIN users c ON c.id = m.client_id
 AND {{ caller_sees_client }} AND :caller_role <> 'admin'
WHERE m.id = :message_id AND m.client_id = :client_id

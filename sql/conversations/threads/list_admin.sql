-- Every thread that has messages, newest activity first: what an admin reads for support. Only an admin gets rows.
-- An admin takes no part in threads, so nothing is unread for them.
SELECT c.id AS client_id, c.full_name AS client_name, t.id AS trainer_id, t.full_name AS trainer_name,
       m.id AS last_id, m.sender_id AS last_sender_id, m.body AS last_body, m.created_at AS last_at,
       m.deleted_at AS last_deleted_at, NULL AS last_read_id, 0 AS unread
FROM conversations th
JOIN users c ON c.id = th.client_id
LEFT JOIN users t ON t.id = c.trainer_id AND t.role = 'trainer'
JOIN messages m ON m.id = th.last_message_id
WHERE :caller_role = 'admin' AND th.last_message_id IS NOT NULL
ORDER BY th.last_message_id DESC
LIMIT :limit OFFSET :offset

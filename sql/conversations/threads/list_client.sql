-- A client's own thread (they have one), as the thread list shows it: the last message, their unread count.
-- Unread: messages of the others after the caller's read mark, counted up to :cap (a badge says "99+").
SELECT c.id AS client_id, c.full_name AS client_name, t.id AS trainer_id, t.full_name AS trainer_name,
       m.id AS last_id, m.sender_id AS last_sender_id, m.body AS last_body, m.created_at AS last_at,
       m.deleted_at AS last_deleted_at, r.last_read_id,
       (SELECT count(*) FROM (SELECT 1 FROM messages u
                              WHERE u.client_id = c.id AND u.id > coalesce(r.last_read_id, 0)
                                AND u.deleted_at IS NULL AND coalesce(u.sender_id, 0) <> :caller_id
                              LIMIT :cap) AS x) AS unread
FROM users c
LEFT JOIN users t ON t.id = c.trainer_id AND t.role = 'trainer'
LEFT JOIN conversations th ON th.client_id = c.id
LEFT JOIN messages m ON m.id = th.last_message_id
LEFT JOIN conversation_reads r ON r.client_id = c.id AND r.user_id = :caller_id
WHERE c.id = :caller_id AND c.role = 'client'
  AND {{ caller_sees_client }}

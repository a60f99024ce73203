-- A trainer's threads: one per client of theirs, the newest activity first, the ones never written in last (by
-- name). Names the trainer (:trainer_id, the caller) so SQLite searches users_trainer (sql/README.md).
SELECT c.id AS client_id, c.full_name AS client_name, t.id AS trainer_id, t.full_name AS trainer_name,
       m.id AS last_id, m.sender_id AS last_sender_id, m.body AS last_body, m.created_at AS last_at,
       m.deleted_at AS last_deleted_at, r.last_read_id,
       (SELECT count(*) FROM (SELECT 1 FROM messages u
                              WHERE u.client_id = c.id AND u.id > coalesce(r.last_read_id, 0)
                                AND u.deleted_at IS NULL AND coalesce(u.sender_id, 0) <> :caller_id
                              LIMIT :cap) AS x) AS unread
FROM users c
JOIN users t ON t.id = c.trainer_id
LEFT JOIN conversations th ON th.client_id = c.id
LEFT JOIN messages m ON m.id = th.last_message_id
LEFT JOIN conversation_reads r ON r.client_id = c.id AND r.user_id = :caller_id
WHERE c.trainer_id = :trainer_id AND c.role = 'client'
  AND {{ caller_sees_client }}
ORDER BY CASE WHEN th.last_message_id IS NULL THEN 1 ELSE 0 END, th.last_message_id DESC, lower(c.full_name), c.id
LIMIT :limit OFFSET :offset

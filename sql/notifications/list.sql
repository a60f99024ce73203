-- The caller's own notifications, newest first; `:only_unread` is 1 for `?unread=true`, else 0.
SELECT id, type, data, created_at, read_at
FROM notifications
WHERE user_id = :caller_id AND (:only_unread = 0 OR read_at IS NULL)
ORDER BY id DESC
LIMIT :limit OFFSET :offset

SELECT COUNT(*)
FROM notifications
WHERE user_id = :caller_id AND (:only_unread = 0 OR read_at IS NULL)

UPDATE notifications
SET read_at = :now
WHERE user_id = :caller_id AND read_at IS NULL

-- Where a notification to `:user_id` of `:kind` goes by mail: the address and the chosen delivery (NULL: never).
-- Only an active account is mailed.
SELECT u.email, u.full_name, p.delivery
FROM users u
LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.kind = :kind
WHERE u.id = :user_id AND u.is_active

-- What the digest of `:user_id` lists: their notifications since the last digest, of the kinds they want daily.
SELECT n.type, n.data, n.created_at
FROM notifications n
JOIN notification_preferences p ON p.user_id = n.user_id AND p.kind = n.type AND p.delivery = 'daily'
WHERE n.user_id = :user_id AND n.created_at > :since AND n.created_at <= :until
ORDER BY n.id
LIMIT 200

-- Whose feed a token opens: an active user, with the role they have now (a demoted trainer's feed shrinks with it).
SELECT u.id, u.role, u.full_name
FROM calendar_feeds f
JOIN users u ON u.id = f.user_id AND u.is_active = TRUE
WHERE f.token_hash = :token_hash

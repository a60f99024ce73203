-- A presented link with its account, whatever its state: the caller tells unknown (404) from spent (410).
SELECT r.id, r.user_id, r.expires_at, r.used_at, u.is_active
FROM password_resets r
JOIN users u ON u.id = r.user_id
WHERE r.token_hash = :token_hash

-- A presented refresh token with its login and account, whatever their state: the caller decides (reuse, expiry).
SELECT t.id, t.login_id, t.expires_at, t.rotated_at, l.revoked_at, u.id AS user_id, u.role, u.is_active
FROM refresh_tokens t
JOIN logins l ON l.id = t.login_id
JOIN users u ON u.id = l.user_id
WHERE t.token_hash = :token_hash

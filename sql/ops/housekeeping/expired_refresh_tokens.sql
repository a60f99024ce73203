-- runs long
-- Refresh tokens past their expiry: useless to anyone, so not kept.
DELETE FROM refresh_tokens WHERE expires_at < :now
RETURNING id

-- A presented setup token, by the SHA-256 of it (the plain token is never stored).
SELECT expires_at, used_at FROM setup_tokens WHERE token_hash = :token_hash

INSERT INTO setup_tokens (token_hash, created_at, expires_at)
VALUES (:token_hash, :now, :expires_at)

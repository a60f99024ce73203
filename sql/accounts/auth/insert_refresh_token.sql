INSERT INTO refresh_tokens (login_id, token_hash, created_at, expires_at)
VALUES (:login_id, :token_hash, :now, :expires_at)

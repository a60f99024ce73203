INSERT INTO password_resets (user_id, token_hash, created_by, created_at, expires_at)
VALUES (:user_id, :token_hash, :created_by, :now, :expires_at)
RETURNING id, expires_at

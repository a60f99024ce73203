UPDATE users SET password_hash = :password_hash, updated_at = :now
WHERE id = :user_id

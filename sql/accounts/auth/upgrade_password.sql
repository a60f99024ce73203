-- The same password, rehashed the current way at a successful login; only if the hash is still the one checked, so
-- a password changed meanwhile is not overwritten. updated_at stays: nothing about the account changed.
UPDATE users SET password_hash = :password_hash
WHERE id = :user_id AND password_hash = :old_hash

-- Spends the link; no row back means it was spent or expired meanwhile (another request used it first).
UPDATE password_resets SET used_at = :now
WHERE id = :id AND used_at IS NULL AND expires_at > :now
RETURNING user_id

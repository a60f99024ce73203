-- Ends one login of the caller's own; no row back: not theirs, or already ended (404 either way).
UPDATE logins SET revoked_at = :now
WHERE id = :id AND user_id = :caller_id AND revoked_at IS NULL
RETURNING id

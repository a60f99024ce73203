UPDATE logins SET revoked_at = :now
WHERE id = :login_id AND revoked_at IS NULL

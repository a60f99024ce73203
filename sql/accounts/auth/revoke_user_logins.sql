-- Deactivation or a new password set by an admin: every login of the account ends.
UPDATE logins SET revoked_at = :now
WHERE user_id = :user_id AND revoked_at IS NULL

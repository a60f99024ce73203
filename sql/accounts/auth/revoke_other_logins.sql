-- After a password change: every login of the account but the one that changed it.
UPDATE logins SET revoked_at = :now
WHERE user_id = :user_id AND id <> :login_id AND revoked_at IS NULL

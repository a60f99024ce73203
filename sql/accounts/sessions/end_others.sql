-- "Sign out everywhere else": every live login of the caller but the one asking; the ids ended.
UPDATE logins SET revoked_at = :now
WHERE user_id = :caller_id AND id <> :login_id AND revoked_at IS NULL
RETURNING id

-- The user behind a login, only while the login is not revoked and the user is active.
SELECT u.id, u.role, u.email, u.full_name, u.trainer_id
FROM logins l
JOIN users u ON u.id = l.user_id
WHERE l.id = :login_id AND l.revoked_at IS NULL AND u.is_active = TRUE

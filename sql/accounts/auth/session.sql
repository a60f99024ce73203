-- The user behind a login, only while the login is not revoked and the user is active: the whole user as the API
-- shows it, so GET /api/auth/me answers from this row (one statement, not two).
SELECT {{ user_columns }}
FROM logins l
JOIN users c ON c.id = l.user_id
LEFT JOIN profiles p ON p.user_id = c.id
WHERE l.id = :login_id AND l.revoked_at IS NULL AND c.is_active = TRUE

-- The active account behind an email a reset was asked for (a deactivated one gets no link, like an unknown one).
SELECT id, email, full_name
FROM users
WHERE email = :email AND is_active = TRUE

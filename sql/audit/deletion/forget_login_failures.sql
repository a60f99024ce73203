DELETE FROM login_failures WHERE lower(email) = lower(:email)
RETURNING id

SELECT id FROM users WHERE email = :email

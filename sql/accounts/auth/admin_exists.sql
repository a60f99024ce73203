SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin') AS found

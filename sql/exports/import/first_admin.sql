-- Import: who owns imported rows that must have an owner (programs, check-in forms' files) when no trainer is given
-- and no admin called (the command line): the studio's first admin.
SELECT id FROM users WHERE role = 'admin' ORDER BY id LIMIT 1

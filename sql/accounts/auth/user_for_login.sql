-- The account behind an email at login: its hash is checked off the event loop.
SELECT id, role, password_hash, is_active
FROM users
WHERE email = :email

-- The role of a user named as someone's trainer (no visibility needed: only admins name trainers).
SELECT role FROM users WHERE id = :id

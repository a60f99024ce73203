-- Every client, in id order, a page at a time: the studio-wide export (`python -m elior export --all`).
SELECT id, email, full_name FROM users WHERE role = 'client' AND id > :after ORDER BY id LIMIT :limit

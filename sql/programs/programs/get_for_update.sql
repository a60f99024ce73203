-- As programs.get, inside a write transaction (SQLite's one writer already serialises those).
SELECT p.id, p.title, p.description, p.weeks
FROM programs p
WHERE p.id = :id AND (p.owner_id = :caller_id OR :caller_role = 'admin')

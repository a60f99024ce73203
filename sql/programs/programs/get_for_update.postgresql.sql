-- As programs.get, locking the row: two edits, or an edit and an assignment, of one program queue.
SELECT p.id, p.title, p.description, p.weeks
FROM programs p
WHERE p.id = :id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
FOR UPDATE OF p

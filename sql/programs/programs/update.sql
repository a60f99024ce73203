-- Only the owner or an admin.
UPDATE programs
SET title = :title, description = :description, weeks = :weeks, updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM programs p WHERE p.id = programs.id AND (p.owner_id = :caller_id OR :caller_role = 'admin'))
RETURNING id

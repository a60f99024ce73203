-- Only the owner or an admin, and only when no client holds it any more (the route answers 409 first). Workouts
-- already made from it stay the clients', their program_id set to NULL by the foreign key.
DELETE FROM programs
WHERE id = :id
  AND EXISTS (SELECT 1 FROM programs p WHERE p.id = programs.id AND (p.owner_id = :caller_id OR :caller_role = 'admin'))
  AND NOT EXISTS (SELECT 1 FROM program_assignments a WHERE a.program_id = programs.id AND a.ended_at IS NULL)
RETURNING id

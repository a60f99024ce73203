-- The client's active assignment of the program ends (un-assigned, or replaced by a new one); the row stays.
UPDATE program_assignments
SET ended_at = :now
WHERE program_id = :program_id AND client_id = :client_id AND ended_at IS NULL
  AND EXISTS (SELECT 1 FROM programs p WHERE p.id = program_assignments.program_id
              AND (p.owner_id = :caller_id OR :caller_role = 'admin'))
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = program_assignments.client_id AND {{ caller_coaches_client }})
RETURNING id

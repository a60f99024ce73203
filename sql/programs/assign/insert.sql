-- A new assignment: a program the caller owns (an admin: any) to a client the caller coaches; no row otherwise.
INSERT INTO program_assignments (program_id, client_id, assigned_by, start_date, created_at)
SELECT p.id, c.id, :caller_id, :start_date, :now
FROM programs p
JOIN users c ON c.id = :client_id AND c.role = 'client' AND {{ caller_coaches_client }}
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
RETURNING id, program_id, client_id, start_date, created_at, ended_at

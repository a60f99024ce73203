-- One program, only its owner's (an admin: any): another trainer's program is not found, like one that never was.
SELECT p.id, p.owner_id, o.full_name AS owner_name, p.title, p.description, p.weeks, p.created_at, p.updated_at,
       (SELECT COUNT(*) FROM program_workouts pw WHERE pw.program_id = p.id) AS workout_count,
       (SELECT COUNT(*) FROM program_assignments a WHERE a.program_id = p.id AND a.ended_at IS NULL) AS active_clients
FROM programs p
JOIN users o ON o.id = p.owner_id
WHERE p.id = :id AND (p.owner_id = :caller_id OR :caller_role = 'admin')

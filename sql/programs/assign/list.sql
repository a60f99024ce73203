-- A program's assignments (the caller's program; an admin: any), of the clients the caller coaches, newest first;
-- ?active=true: only those not ended. `workouts`: the scheduled workouts each holds now.
SELECT a.id, a.program_id, a.client_id, c.full_name AS client_name, a.start_date, a.created_at, a.ended_at,
       (SELECT COUNT(*) FROM workouts w WHERE w.assignment_id = a.id) AS workouts
FROM programs p
JOIN program_assignments a ON a.program_id = p.id
JOIN users c ON c.id = a.client_id AND {{ caller_coaches_client }}
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
  AND (:active = 0 OR a.ended_at IS NULL)
ORDER BY a.created_at DESC, a.id DESC

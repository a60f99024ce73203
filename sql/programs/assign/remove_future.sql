-- Un-assigning (or re-assigning) a program: the client's workouts of its active assignment that are still to come
-- and not logged go; logged ones, and past ones (missed, skipped: the client's history), stay. Only for a client
-- the caller coaches and a program the caller owns (an admin: any).
DELETE FROM workouts
WHERE assignment_id IN (SELECT a.id FROM program_assignments a
                        JOIN programs p ON p.id = a.program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
                        WHERE a.program_id = :program_id AND a.client_id = :client_id AND a.ended_at IS NULL)
  AND client_id = :client_id
  AND scheduled_for >= :today AND status <> 'completed'
  AND NOT EXISTS (SELECT 1 FROM workout_logs l WHERE l.workout_id = workouts.id)
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = workouts.client_id AND {{ caller_coaches_client }})
RETURNING id

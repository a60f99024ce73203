-- An admin's calendar of the whole studio in a date range, searched through workouts_scheduled (the rule still
-- applies: it lets an admin see every client).
SELECT w.id, w.client_id, c.full_name AS client_name, w.title, w.notes, w.scheduled_for, w.status, w.completed_at,
       w.updated_at, w.program_id, p.title AS program_title, w.assignment_id, w.week, w.day,
       (SELECT COUNT(*) FROM workout_exercises we WHERE we.workout_id = w.id) AS exercise_count
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
LEFT JOIN programs p ON p.id = w.program_id
WHERE w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
ORDER BY w.scheduled_for, lower(c.full_name), w.id
LIMIT :limit

-- One client's calendar: their workouts in a date range, with the program each came from (the caller must see the
-- client: themself, their trainer, an admin). LIMIT bounds the answer; the endpoint says when it was reached.
SELECT w.id, w.client_id, c.full_name AS client_name, w.title, w.notes, w.scheduled_for, w.status, w.completed_at,
       w.updated_at, w.program_id, p.title AS program_title, w.assignment_id, w.week, w.day,
       (SELECT COUNT(*) FROM workout_exercises we WHERE we.workout_id = w.id) AS exercise_count
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
LEFT JOIN programs p ON p.id = w.program_id
WHERE w.client_id = :client_id AND c.id = :client_id
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
ORDER BY w.scheduled_for, w.id
LIMIT :limit

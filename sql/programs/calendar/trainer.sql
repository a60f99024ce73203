-- A trainer's calendar: the workouts of all the clients of trainer_id in a date range, searched through
-- users_trainer then workouts_client; the visibility rule still applies, as to every list.
SELECT w.id, w.client_id, c.full_name AS client_name, w.title, w.notes, w.scheduled_for, w.status, w.completed_at,
       w.updated_at, w.program_id, p.title AS program_title, w.assignment_id, w.week, w.day,
       (SELECT COUNT(*) FROM workout_exercises we WHERE we.workout_id = w.id) AS exercise_count
FROM users c
JOIN workouts w ON w.client_id = c.id
LEFT JOIN programs p ON p.id = w.program_id
WHERE c.trainer_id = :trainer_id AND {{ caller_sees_client }}
  AND w.scheduled_for >= :date_from AND w.scheduled_for <= :date_to
ORDER BY w.scheduled_for, lower(c.full_name), w.id
LIMIT :limit

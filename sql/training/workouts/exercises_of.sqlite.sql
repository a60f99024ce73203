-- The exercises of every workout on a page (a JSON array of ids) in one statement, in order, within the scope:
-- each row one exercise as JSON text, built here rather than as 18 columns turned into a dict in Python. Each workout
-- and its client are looked up once, not once per exercise row.
SELECT w.id AS workout_id, json_object({{ workout_exercise_fields }}) AS exercise
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
JOIN workout_exercises we ON we.workout_id = w.id
JOIN exercises e ON e.id = we.exercise_id
WHERE w.id IN (SELECT value FROM json_each(:ids))
ORDER BY w.id, we.position

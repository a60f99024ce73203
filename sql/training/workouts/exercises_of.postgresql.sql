-- The exercises of every workout on a page (a JSON array of ids) in one statement, in order, within the scope:
-- each row one exercise as JSON text, built here rather than as 18 columns turned into a dict in Python. Each workout
-- and its client are looked up once, not once per exercise row.
-- (PostgreSQL writes a DOUBLE PRECISION of 40.0 as 40 in JSON, SQLite as 40.0: the same number to a JSON reader.)
SELECT w.id AS workout_id, CAST(json_build_object({{ workout_exercise_fields }}) AS TEXT) AS exercise
FROM workouts w
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
JOIN workout_exercises we ON we.workout_id = w.id
JOIN exercises e ON e.id = we.exercise_id
WHERE w.id IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(:ids AS JSONB)))
ORDER BY w.id, we.position

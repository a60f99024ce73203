-- How many workouts, logged sets and program template lines still name an exercise (each through its exercise_id
-- index): any of them makes a delete a 409, never a foreign-key failure.
SELECT (SELECT COUNT(*) FROM workout_exercises we WHERE we.exercise_id = :id) AS workouts,
       (SELECT COUNT(*) FROM set_logs s WHERE s.exercise_id = :id) AS sets,
       (SELECT COUNT(*) FROM program_lines pl WHERE pl.exercise_id = :id) AS program_lines

-- How many workouts and logged sets still name an exercise (both searched through their exercise_id indexes).
SELECT (SELECT COUNT(*) FROM workout_exercises we WHERE we.exercise_id = :id) AS workouts,
       (SELECT COUNT(*) FROM set_logs s WHERE s.exercise_id = :id) AS sets

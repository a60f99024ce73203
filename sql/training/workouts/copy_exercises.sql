-- A copy's exercises, straight from the source workout's rows (the source was found through the caller's scope).
INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes)
SELECT CAST(:workout_id AS BIGINT), we.exercise_id, we.position, we.sets, we.reps, we.weight_kg, we.rest_seconds,
       we.notes
FROM workout_exercises we
WHERE we.workout_id = :source_id
ORDER BY we.position

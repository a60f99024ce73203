-- A copy's exercises, programming fields included, straight from the source workout's rows (the source was found
-- through the caller's scope).
INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes,
                               reps_min, reps_max, rpe, rir, tempo, set_type, superset_group, duration_seconds,
                               distance_m)
SELECT CAST(:workout_id AS BIGINT), we.exercise_id, we.position, we.sets, we.reps, we.weight_kg, we.rest_seconds,
       we.notes, we.reps_min, we.reps_max, we.rpe, we.rir, we.tempo, we.set_type, we.superset_group, we.duration_seconds,
       we.distance_m
FROM workout_exercises we
WHERE we.workout_id = :source_id
ORDER BY we.position

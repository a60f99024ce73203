-- A workout's exercises from one JSON array, in order: one statement for any number of rows.
INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes)
SELECT CAST(:workout_id AS BIGINT), r.exercise_id, r.position, r.sets, r.reps, r.weight_kg, r.rest_seconds, r.notes
FROM jsonb_to_recordset(CAST(:rows AS JSONB))
     AS r(exercise_id BIGINT, position INTEGER, sets INTEGER, reps INTEGER, weight_kg DOUBLE PRECISION,
          rest_seconds INTEGER, notes TEXT)
ORDER BY r.position

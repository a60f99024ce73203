-- A log's sets from one JSON array, in order, each beside what the workout prescribed for it.
INSERT INTO set_logs (log_id, client_id, exercise_id, set_number, reps, weight_kg, rpe, prescribed_reps,
                      prescribed_weight_kg)
SELECT CAST(:log_id AS BIGINT), CAST(:client_id AS BIGINT), r.exercise_id, r.set_number, r.reps, r.weight_kg, r.rpe,
       r.prescribed_reps, r.prescribed_weight_kg
FROM ROWS FROM (jsonb_to_recordset(CAST(:rows AS JSONB))
                AS (exercise_id BIGINT, set_number INTEGER, reps INTEGER, weight_kg DOUBLE PRECISION,
                    rpe DOUBLE PRECISION, prescribed_reps INTEGER, prescribed_weight_kg DOUBLE PRECISION))
     WITH ORDINALITY AS r(exercise_id, set_number, reps, weight_kg, rpe, prescribed_reps, prescribed_weight_kg, n)
ORDER BY r.n

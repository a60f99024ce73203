-- A log's sets from one JSON array, in order, each beside what the workout prescribed for it.
INSERT INTO set_logs (log_id, client_id, exercise_id, set_number, reps, weight_kg, rpe, prescribed_reps,
                      prescribed_weight_kg)
SELECT :log_id, :client_id, json_extract(value, '$.exercise_id'), json_extract(value, '$.set_number'),
       json_extract(value, '$.reps'), json_extract(value, '$.weight_kg'), json_extract(value, '$.rpe'),
       json_extract(value, '$.prescribed_reps'), json_extract(value, '$.prescribed_weight_kg')
FROM json_each(:rows)
ORDER BY key

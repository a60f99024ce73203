-- A workout's exercises from one JSON array, in order: one statement for any number of rows.
INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes)
SELECT :workout_id, json_extract(value, '$.exercise_id'), json_extract(value, '$.position'),
       json_extract(value, '$.sets'), json_extract(value, '$.reps'), json_extract(value, '$.weight_kg'),
       json_extract(value, '$.rest_seconds'), json_extract(value, '$.notes')
FROM json_each(:rows)
ORDER BY key

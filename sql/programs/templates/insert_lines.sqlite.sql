-- Every exercise line of a program's templates from one JSON array (each naming its template_id), in one statement;
-- a template_id not of this program, or of a program the caller does not own, inserts nothing.
INSERT INTO program_lines (template_id, exercise_id, position, sets, reps, reps_min, reps_max, weight_kg, rpe, rir,
                           rest_seconds, tempo, set_type, superset_group, duration_seconds, distance_m, notes,
                           progression_kg, progression_pct)
SELECT pw.id, json_extract(r.value, '$.exercise_id'), json_extract(r.value, '$.position'),
       json_extract(r.value, '$.sets'), json_extract(r.value, '$.reps'), json_extract(r.value, '$.reps_min'),
       json_extract(r.value, '$.reps_max'), json_extract(r.value, '$.weight_kg'), json_extract(r.value, '$.rpe'),
       json_extract(r.value, '$.rir'), json_extract(r.value, '$.rest_seconds'), json_extract(r.value, '$.tempo'),
       json_extract(r.value, '$.set_type'), json_extract(r.value, '$.superset_group'),
       json_extract(r.value, '$.duration_seconds'), json_extract(r.value, '$.distance_m'),
       json_extract(r.value, '$.notes'), json_extract(r.value, '$.progression_kg'),
       json_extract(r.value, '$.progression_pct')
FROM json_each(:rows) r
JOIN program_workouts pw ON pw.id = json_extract(r.value, '$.template_id') AND pw.program_id = :program_id
JOIN programs p ON p.id = pw.program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY r.key

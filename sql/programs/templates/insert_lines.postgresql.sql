-- Every exercise line of a program's templates from one JSON array (each naming its template_id), in one statement;
-- a template_id not of this program, or of a program the caller does not own, inserts nothing.
INSERT INTO program_lines (template_id, exercise_id, position, sets, reps, reps_min, reps_max, weight_kg, rpe, rir,
                           rest_seconds, tempo, set_type, superset_group, duration_seconds, distance_m, notes,
                           progression_kg, progression_pct)
SELECT pw.id, r.exercise_id, r.position, r.sets, r.reps, r.reps_min, r.reps_max, r.weight_kg, r.rpe, r.rir,
       r.rest_seconds, r.tempo, r.set_type, r.superset_group, r.duration_seconds, r.distance_m, r.notes,
       r.progression_kg, r.progression_pct
FROM jsonb_to_recordset(CAST(:rows AS JSONB))
     AS r(template_id BIGINT, exercise_id BIGINT, position INTEGER, sets INTEGER, reps INTEGER, reps_min INTEGER,
          reps_max INTEGER, weight_kg DOUBLE PRECISION, rpe DOUBLE PRECISION, rir INTEGER, rest_seconds INTEGER,
          tempo TEXT, set_type TEXT, superset_group TEXT, duration_seconds INTEGER, distance_m DOUBLE PRECISION,
          notes TEXT, progression_kg DOUBLE PRECISION, progression_pct DOUBLE PRECISION)
JOIN program_workouts pw ON pw.id = r.template_id AND pw.program_id = CAST(:program_id AS BIGINT)
JOIN programs p ON p.id = pw.program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY r.template_id, r.position

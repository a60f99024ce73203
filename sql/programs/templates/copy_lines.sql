-- The source program's lines, into the copied templates of the same slot (week, day, position) of the new program.
INSERT INTO program_lines (template_id, exercise_id, position, sets, reps, reps_min, reps_max, weight_kg, rpe, rir,
                           rest_seconds, tempo, set_type, superset_group, duration_seconds, distance_m, notes,
                           progression_kg, progression_pct)
SELECT nt.id, l.exercise_id, l.position, l.sets, l.reps, l.reps_min, l.reps_max, l.weight_kg, l.rpe, l.rir,
       l.rest_seconds, l.tempo, l.set_type, l.superset_group, l.duration_seconds, l.distance_m, l.notes,
       l.progression_kg, l.progression_pct
FROM programs p
JOIN program_workouts pw ON pw.program_id = p.id
JOIN program_lines l ON l.template_id = pw.id
JOIN programs t ON t.id = :target_id AND (t.owner_id = :caller_id OR :caller_role = 'admin')
JOIN program_workouts nt ON nt.program_id = t.id AND nt.week = pw.week AND nt.day = pw.day
 AND nt.position = pw.position
WHERE p.id = :source_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY nt.id, l.position

-- Every exercise line of a program the caller owns (an admin: any), with the exercise's name, in order.
SELECT l.template_id, l.exercise_id, e.name AS exercise_name, l.position, l.sets, l.reps, l.reps_min, l.reps_max,
       l.weight_kg, l.rpe, l.rir, l.rest_seconds, l.tempo, l.set_type, l.superset_group, l.duration_seconds,
       l.distance_m, l.notes, l.progression_kg, l.progression_pct
FROM programs p
JOIN program_workouts pw ON pw.program_id = p.id
JOIN program_lines l ON l.template_id = pw.id
JOIN exercises e ON e.id = l.exercise_id
WHERE p.id = :program_id AND (p.owner_id = :caller_id OR :caller_role = 'admin')
ORDER BY l.template_id, l.position

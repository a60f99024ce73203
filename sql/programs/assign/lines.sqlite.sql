-- The exercise lines of the assignment's workouts, from their templates. A progression applies here: week w lifts
-- weight_kg + (w - 1) x (progression_kg, or progression_pct % of weight_kg), to 0.01 kg, kept within 0-1000 kg.
INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes,
                               reps_min, reps_max, rpe, rir, tempo, set_type, superset_group, duration_seconds,
                               distance_m)
SELECT w.id, l.exercise_id, l.position, l.sets, l.reps,
       CASE WHEN l.weight_kg IS NULL THEN NULL
            ELSE max(0, min(1000, round(l.weight_kg + (w.week - 1) * (coalesce(l.progression_kg, 0)
                                        + l.weight_kg * coalesce(l.progression_pct, 0) / 100.0), 2))) END,
       l.rest_seconds, l.notes, l.reps_min, l.reps_max, l.rpe, l.rir, l.tempo, l.set_type, l.superset_group,
       l.duration_seconds, l.distance_m
FROM workouts w
JOIN program_lines l ON l.template_id = w.template_id
WHERE w.assignment_id = :assignment_id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = w.client_id AND {{ caller_coaches_client }})
ORDER BY w.id, l.position

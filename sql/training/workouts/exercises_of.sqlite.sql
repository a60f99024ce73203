-- The exercises of every workout on a page (a JSON array of ids) in one statement, in order, within the scope.
SELECT we.workout_id, we.exercise_id, e.name AS exercise_name, we.position, we.sets, we.reps, we.weight_kg,
       we.rest_seconds, we.notes, we.reps_min, we.reps_max, we.rpe, we.rir, we.tempo, we.set_type, we.superset_group, we.duration_seconds,
       we.distance_m
FROM workout_exercises we
JOIN exercises e ON e.id = we.exercise_id
JOIN workouts w ON w.id = we.workout_id
JOIN users c ON c.id = w.client_id
 AND {{ caller_sees_client }}
WHERE we.workout_id IN (SELECT value FROM json_each(:ids))
ORDER BY we.workout_id, we.position

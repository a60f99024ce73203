-- The sets of one log, in the order they were logged, within the caller's scope.
SELECT s.exercise_id, e.name AS exercise_name, s.set_number, s.reps, s.weight_kg, s.rpe, s.prescribed_reps,
       s.prescribed_weight_kg
FROM set_logs s
JOIN exercises e ON e.id = s.exercise_id
JOIN users c ON c.id = s.client_id
 AND {{ caller_sees_client }}
WHERE s.log_id = :log_id
ORDER BY s.id

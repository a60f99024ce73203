-- Deletes only an exercise the caller may change and that no workout and no logged set still uses.
DELETE FROM exercises
WHERE id = :id AND (:caller_role = 'admin' OR created_by = :caller_id)
  AND NOT EXISTS (SELECT 1 FROM workout_exercises we WHERE we.exercise_id = exercises.id)
  AND NOT EXISTS (SELECT 1 FROM set_logs s WHERE s.exercise_id = exercises.id)
RETURNING id

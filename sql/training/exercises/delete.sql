-- Deletes only an exercise the caller may change and that no workout, no logged set and no program line still uses
-- (the same three as training.exercises.usage, so a refused delete is a 409, never a foreign-key failure).
DELETE FROM exercises
WHERE id = :id AND (:caller_role = 'admin' OR created_by = :caller_id)
  AND NOT EXISTS (SELECT 1 FROM workout_exercises we WHERE we.exercise_id = exercises.id)
  AND NOT EXISTS (SELECT 1 FROM set_logs s WHERE s.exercise_id = exercises.id)
  AND NOT EXISTS (SELECT 1 FROM program_lines pl WHERE pl.exercise_id = exercises.id)
RETURNING id

-- Before an edit writes a workout's new list of exercises (run after workouts.get_for_update found it).
DELETE FROM workout_exercises
WHERE workout_id = :workout_id
  AND EXISTS (SELECT 1 FROM workouts w JOIN users c ON c.id = w.client_id
              WHERE w.id = workout_exercises.workout_id AND {{ caller_coaches_client }})

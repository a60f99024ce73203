-- A workout's exercise row as the API shows it (WorkoutExerciseOut in elior/training/workouts.py): the name/value
-- pairs of a JSON object over `we`, a workout_exercises row, and `e`, its exercises row. Spliced into SQLite's
-- json_object(...) and PostgreSQL's json_build_object(...) (training/workouts/exercises_of), so the database builds
-- each row's JSON and the read embeds it as it is.
'exercise_id', we.exercise_id, 'exercise_name', e.name, 'position', we.position, 'sets', we.sets, 'reps', we.reps,
'weight_kg', we.weight_kg, 'rest_seconds', we.rest_seconds, 'notes', we.notes, 'reps_min', we.reps_min,
'reps_max', we.reps_max, 'rpe', we.rpe, 'rir', we.rir, 'tempo', we.tempo, 'set_type', we.set_type,
'superset_group', we.superset_group, 'duration_seconds', we.duration_seconds, 'distance_m', we.distance_m

-- Import: one row of an archive's `workout_exercises`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO workout_exercises (
    workout_id, exercise_id, position, sets, reps, weight_kg, rest_seconds, notes, reps_min, reps_max, rpe, rir,
    tempo, set_type, superset_group, duration_seconds, distance_m
) VALUES (
    :workout_id, :exercise_id, :position, :sets, :reps, :weight_kg, :rest_seconds, :notes, :reps_min, :reps_max,
    :rpe, :rir, :tempo, :set_type, :superset_group, :duration_seconds, :distance_m
)
RETURNING id

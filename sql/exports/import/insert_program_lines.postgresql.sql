-- Import: one row of an archive's `program_lines`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO program_lines (
    template_id, exercise_id, position, sets, reps, reps_min, reps_max, weight_kg, rpe, rir, rest_seconds, tempo,
    set_type, superset_group, duration_seconds, distance_m, notes, progression_kg, progression_pct
) VALUES (
    :template_id, :exercise_id, :position, :sets, :reps, :reps_min, :reps_max, :weight_kg, :rpe, :rir,
    :rest_seconds, :tempo, :set_type, :superset_group, :duration_seconds, :distance_m, :notes, :progression_kg,
    :progression_pct
)
RETURNING id

-- Import: one row of an archive's `workout_logs`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO workout_logs (
    workout_id, client_id, logged_by, performed_at, duration_minutes, rating, notes, created_at
) VALUES (
    :workout_id, :client_id, :logged_by, CAST(CAST(:performed_at AS TEXT) AS TIMESTAMPTZ), :duration_minutes,
    :rating, :notes, CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

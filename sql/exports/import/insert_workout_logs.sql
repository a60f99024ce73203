-- Import: one row of an archive's `workout_logs`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO workout_logs (
    workout_id, client_id, logged_by, performed_at, duration_minutes, rating, notes, created_at
) VALUES (
    :workout_id, :client_id, :logged_by, :performed_at, :duration_minutes, :rating, :notes, :created_at
)
RETURNING id

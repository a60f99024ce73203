-- Import: one row of an archive's `workout_comments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO workout_comments (
    workout_id, client_id, author_id, body, created_at
) VALUES (
    :workout_id, :client_id, :author_id, :body, CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

-- Import: one row of an archive's `workout_comments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO workout_comments (
    workout_id, client_id, author_id, body, created_at
) VALUES (
    :workout_id, :client_id, :author_id, :body, :created_at
)
RETURNING id

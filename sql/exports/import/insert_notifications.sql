-- Import: one row of an archive's `notifications`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO notifications (
    user_id, type, data, created_at, read_at
) VALUES (
    :user_id, :type, :data, :created_at, :read_at
)
RETURNING id

-- Import: one row of an archive's `files`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO files (
    filename, owner_id, client_id, purpose, content_type, size, sha256, encrypted, created_at
) VALUES (
    :filename, :owner_id, :client_id, :purpose, :content_type, :size, :sha256, CAST(:encrypted AS INTEGER) <> 0,
    CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

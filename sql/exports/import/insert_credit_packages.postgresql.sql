-- Import: one row of an archive's `credit_packages`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO credit_packages (
    client_id, type_id, credits, expires_on, note, created_by, created_at
) VALUES (
    :client_id, :type_id, :credits, CAST(CAST(:expires_on AS TEXT) AS DATE), :note, :created_by,
    CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

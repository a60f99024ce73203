-- Import: one row of an archive's `credit_ledger`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO credit_ledger (
    client_id, package_id, type_id, appointment_id, kind, delta, created_by, created_at
) VALUES (
    :client_id, :package_id, :type_id, :appointment_id, :kind, :delta, :created_by, CAST(CAST(:created_at AS TEXT)
    AS TIMESTAMPTZ)
)
RETURNING id

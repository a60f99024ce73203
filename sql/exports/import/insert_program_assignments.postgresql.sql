-- Import: one row of an archive's `program_assignments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO program_assignments (
    program_id, client_id, assigned_by, start_date, created_at, ended_at
) VALUES (
    :program_id, :client_id, :assigned_by, CAST(CAST(:start_date AS TEXT) AS DATE), CAST(CAST(:created_at AS TEXT)
    AS TIMESTAMPTZ), CAST(CAST(:ended_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

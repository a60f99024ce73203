-- Import: one row of an archive's `check_ins`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO check_ins (
    client_id, template_id, period_start, submitted_at, reply, replied_by, replied_at
) VALUES (
    :client_id, :template_id, CAST(CAST(:period_start AS TEXT) AS DATE), CAST(CAST(:submitted_at AS TEXT) AS
    TIMESTAMPTZ), :reply, :replied_by, CAST(CAST(:replied_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

-- Import: one row of an archive's `habits`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO habits (
    client_id, created_by, title, cadence, times_per_week, target_value, target_unit, start_date, archived_at,
    created_at, updated_at
) VALUES (
    :client_id, :created_by, :title, :cadence, :times_per_week, :target_value, :target_unit, CAST(CAST(:start_date
    AS TEXT) AS DATE), CAST(CAST(:archived_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:created_at AS TEXT) AS
    TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

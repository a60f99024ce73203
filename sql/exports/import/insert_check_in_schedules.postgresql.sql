-- Import: one row of an archive's `check_in_schedules`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO check_in_schedules (
    client_id, template_id, cadence, weekday, every_days, start_date, next_due, due_period, created_by, created_at,
    updated_at
) VALUES (
    :client_id, :template_id, :cadence, :weekday, :every_days, CAST(CAST(:start_date AS TEXT) AS DATE),
    CAST(CAST(:next_due AS TEXT) AS DATE), CAST(CAST(:due_period AS TEXT) AS DATE), :created_by,
    CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)

-- Import: one row of an archive's `workouts`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO workouts (
    client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, completed_at, program_id,
    assignment_id, week, day, template_id
) VALUES (
    :client_id, :trainer_id, :title, :notes, CAST(CAST(:scheduled_for AS TEXT) AS DATE), :status,
    CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ),
    CAST(CAST(:completed_at AS TEXT) AS TIMESTAMPTZ), :program_id, :assignment_id, :week, :day, :template_id
)
RETURNING id

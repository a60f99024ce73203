-- Import (issue 18): one row of an archive's `program_workouts`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks.
INSERT INTO program_workouts (
    program_id, week, day, position, title, notes
) VALUES (
    :program_id, :week, :day, :position, :title, :notes
)
RETURNING id

-- Import: one row of an archive's `program_workouts`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO program_workouts (
    program_id, week, day, position, title, notes
) VALUES (
    :program_id, :week, :day, :position, :title, :notes
)
RETURNING id

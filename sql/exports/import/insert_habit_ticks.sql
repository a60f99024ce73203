-- Import: one row of an archive's `habit_ticks`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO habit_ticks (
    habit_id, day, value, created_at, updated_at
) VALUES (
    :habit_id, :day, :value, :created_at, :updated_at
)

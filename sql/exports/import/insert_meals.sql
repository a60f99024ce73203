-- Import: one row of an archive's `meals`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO meals (
    plan_id, name, time, position
) VALUES (
    :plan_id, :name, :time, :position
)
RETURNING id

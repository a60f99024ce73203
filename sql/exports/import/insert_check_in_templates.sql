-- Import: one row of an archive's `check_in_templates`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO check_in_templates (
    owner_id, title, created_at, updated_at
) VALUES (
    :owner_id, :title, :created_at, :updated_at
)
RETURNING id

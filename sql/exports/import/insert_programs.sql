-- Import: one row of an archive's `programs`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO programs (
    owner_id, title, description, weeks, created_at, updated_at
) VALUES (
    :owner_id, :title, :description, :weeks, :created_at, :updated_at
)
RETURNING id

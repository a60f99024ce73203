-- Import: one row of an archive's `files`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO files (
    filename, owner_id, client_id, purpose, content_type, size, sha256, encrypted, created_at
) VALUES (
    :filename, :owner_id, :client_id, :purpose, :content_type, :size, :sha256, :encrypted, :created_at
)
RETURNING id

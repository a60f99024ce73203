-- Import: one row of an archive's `messages`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO messages (
    client_id, sender_id, body, created_at, edited_at, deleted_at
) VALUES (
    :client_id, :sender_id, :body, :created_at, :edited_at, :deleted_at
)
RETURNING id

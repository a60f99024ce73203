-- Import: one row of an archive's `conversations`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO conversations (
    client_id, last_message_id, last_message_at, created_at
) VALUES (
    :client_id, :last_message_id, :last_message_at, :created_at
)

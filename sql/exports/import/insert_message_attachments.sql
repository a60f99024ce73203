-- Import: one row of an archive's `message_attachments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO message_attachments (
    message_id, position, filename
) VALUES (
    :message_id, :position, :filename
)

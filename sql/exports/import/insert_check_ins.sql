-- Import: one row of an archive's `check_ins`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO check_ins (
    client_id, template_id, period_start, submitted_at, reply, replied_by, replied_at
) VALUES (
    :client_id, :template_id, :period_start, :submitted_at, :reply, :replied_by, :replied_at
)
RETURNING id

-- Import: one row of an archive's `credit_ledger`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO credit_ledger (
    client_id, package_id, type_id, appointment_id, kind, delta, created_by, created_at
) VALUES (
    :client_id, :package_id, :type_id, :appointment_id, :kind, :delta, :created_by, :created_at
)
RETURNING id

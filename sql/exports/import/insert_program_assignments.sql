-- Import: one row of an archive's `program_assignments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO program_assignments (
    program_id, client_id, assigned_by, start_date, created_at, ended_at
) VALUES (
    :program_id, :client_id, :assigned_by, :start_date, :created_at, :ended_at
)
RETURNING id

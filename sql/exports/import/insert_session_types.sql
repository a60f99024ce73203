-- Import: one row of an archive's `session_types`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO session_types (
    name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at, updated_at
) VALUES (
    :name, :duration_minutes, :capacity, :buffer_minutes, :uses_credit, :is_active, :created_at, :updated_at
)
RETURNING id

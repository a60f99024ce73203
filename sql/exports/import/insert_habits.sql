-- Import: one row of an archive's `habits`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO habits (
    client_id, created_by, title, cadence, times_per_week, target_value, target_unit, start_date, archived_at,
    created_at, updated_at
) VALUES (
    :client_id, :created_by, :title, :cadence, :times_per_week, :target_value, :target_unit, :start_date,
    :archived_at, :created_at, :updated_at
)
RETURNING id

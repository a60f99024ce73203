-- Import: one row of an archive's `check_in_schedules`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO check_in_schedules (
    client_id, template_id, cadence, weekday, every_days, start_date, next_due, due_period, created_by, created_at,
    updated_at
) VALUES (
    :client_id, :template_id, :cadence, :weekday, :every_days, :start_date, :next_due, :due_period, :created_by,
    :created_at, :updated_at
)

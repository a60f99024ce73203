-- Import: one row of an archive's `workouts`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO workouts (
    client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, completed_at, program_id,
    assignment_id, week, day, template_id
) VALUES (
    :client_id, :trainer_id, :title, :notes, :scheduled_for, :status, :created_at, :updated_at, :completed_at,
    :program_id, :assignment_id, :week, :day, :template_id
)
RETURNING id

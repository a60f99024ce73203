-- Import: one row of an archive's `appointments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO appointments (
    trainer_id, client_id, type_id, starts_at, ends_at, buffer_minutes, status, late_cancel, notes, cancel_reason,
    cancelled_at, cancelled_by, marked_at, marked_by, reminded_at, sequence, created_by, created_at, updated_at
) VALUES (
    :trainer_id, :client_id, :type_id, :starts_at, :ends_at, :buffer_minutes, :status, :late_cancel, :notes,
    :cancel_reason, :cancelled_at, :cancelled_by, :marked_at, :marked_by, :reminded_at, :sequence, :created_by,
    :created_at, :updated_at
)
RETURNING id

-- Import: one row of an archive's `appointments`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO appointments (
    trainer_id, client_id, type_id, starts_at, ends_at, buffer_minutes, status, late_cancel, notes, cancel_reason,
    cancelled_at, cancelled_by, marked_at, marked_by, reminded_at, sequence, created_by, created_at, updated_at
) VALUES (
    :trainer_id, :client_id, :type_id, CAST(CAST(:starts_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:ends_at AS TEXT) AS
    TIMESTAMPTZ), :buffer_minutes, :status, CAST(:late_cancel AS INTEGER) <> 0, :notes, :cancel_reason,
    CAST(CAST(:cancelled_at AS TEXT) AS TIMESTAMPTZ), :cancelled_by, CAST(CAST(:marked_at AS TEXT) AS TIMESTAMPTZ),
    :marked_by, CAST(CAST(:reminded_at AS TEXT) AS TIMESTAMPTZ), :sequence, :created_by, CAST(CAST(:created_at AS
    TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

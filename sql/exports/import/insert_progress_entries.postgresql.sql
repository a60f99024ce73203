-- Import: one row of an archive's `progress_entries`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO progress_entries (
    client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm, arm_cm, thigh_cm, notes, created_by,
    created_at, updated_at
) VALUES (
    :client_id, CAST(CAST(:date AS TEXT) AS DATE), :weight_kg, :body_fat_pct, :chest_cm, :waist_cm, :hips_cm,
    :arm_cm, :thigh_cm, :notes, :created_by, CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at
    AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

-- Import: one row of an archive's `progress_entries`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO progress_entries (
    client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm, arm_cm, thigh_cm, notes, created_by,
    created_at, updated_at
) VALUES (
    :client_id, :date, :weight_kg, :body_fat_pct, :chest_cm, :waist_cm, :hips_cm, :arm_cm, :thigh_cm, :notes,
    :created_by, :created_at, :updated_at
)
RETURNING id

-- Import: one row of an archive's `profiles`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO profiles (
    user_id, phone, date_of_birth, height_cm, goals, medical_notes
) VALUES (
    :user_id, :phone, CAST(CAST(:date_of_birth AS TEXT) AS DATE), :height_cm, :goals, :medical_notes
)

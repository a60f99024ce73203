-- Import: one row of an archive's `profiles`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO profiles (
    user_id, phone, date_of_birth, height_cm, goals, medical_notes
) VALUES (
    :user_id, :phone, :date_of_birth, :height_cm, :goals, :medical_notes
)

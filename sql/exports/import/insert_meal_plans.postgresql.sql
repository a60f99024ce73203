-- Import: one row of an archive's `meal_plans`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO meal_plans (
    client_id, trainer_id, title, notes, start_date, end_date, target_kcal, target_protein_g, target_carbs_g,
    target_fat_g, created_at, updated_at
) VALUES (
    :client_id, :trainer_id, :title, :notes, CAST(CAST(:start_date AS TEXT) AS DATE), CAST(CAST(:end_date AS TEXT)
    AS DATE), :target_kcal, :target_protein_g, :target_carbs_g, :target_fat_g, CAST(CAST(:created_at AS TEXT) AS
    TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

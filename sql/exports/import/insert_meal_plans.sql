-- Import: one row of an archive's `meal_plans`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO meal_plans (
    client_id, trainer_id, title, notes, start_date, end_date, target_kcal, target_protein_g, target_carbs_g,
    target_fat_g, created_at, updated_at
) VALUES (
    :client_id, :trainer_id, :title, :notes, :start_date, :end_date, :target_kcal, :target_protein_g,
    :target_carbs_g, :target_fat_g, :created_at, :updated_at
)
RETURNING id

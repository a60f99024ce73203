-- Import: one row of an archive's `meal_items`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO meal_items (
    meal_id, position, food, quantity_g, kcal, protein_g, carbs_g, fat_g
) VALUES (
    :meal_id, :position, :food, :quantity_g, :kcal, :protein_g, :carbs_g, :fat_g
)
RETURNING id

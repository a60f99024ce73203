-- Import: one row of an archive's `meal_entries`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO meal_entries (
    plan_id, client_id, date, meal_name, description, photo_file, kcal, protein_g, carbs_g, fat_g, status,
    review_comment, reviewed_by, reviewed_at, created_at, updated_at
) VALUES (
    :plan_id, :client_id, CAST(CAST(:date AS TEXT) AS DATE), :meal_name, :description, :photo_file, :kcal,
    :protein_g, :carbs_g, :fat_g, :status, :review_comment, :reviewed_by, CAST(CAST(:reviewed_at AS TEXT) AS
    TIMESTAMPTZ), CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

-- Import: one row of an archive's `users`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO users (
    email, password_hash, full_name, role, trainer_id, is_active, created_at, updated_at, units_weight,
    units_length, language
) VALUES (
    :email, :password_hash, :full_name, :role, :trainer_id, CAST(:is_active AS INTEGER) <> 0, CAST(CAST(:created_at
    AS TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ), :units_weight, :units_length,
    :language
)
RETURNING id

-- Import: one row of an archive's `users`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO users (
    email, password_hash, full_name, role, trainer_id, is_active, created_at, updated_at, units_weight,
    units_length, language
) VALUES (
    :email, :password_hash, :full_name, :role, :trainer_id, :is_active, :created_at, :updated_at, :units_weight,
    :units_length, :language
)
RETURNING id

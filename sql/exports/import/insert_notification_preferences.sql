-- Import: one row of an archive's `notification_preferences`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO notification_preferences (
    user_id, kind, delivery, updated_at
) VALUES (
    :user_id, :kind, :delivery, :updated_at
)

-- Import: one row of an archive's `progress_photos`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO progress_photos (
    entry_id, filename, position
) VALUES (
    :entry_id, :filename, :position
)

-- Import: one row of an archive's `check_in_answers`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO check_in_answers (
    check_in_id, question_id, value_number, value_text, photo_file
) VALUES (
    :check_in_id, :question_id, :value_number, :value_text, :photo_file
)

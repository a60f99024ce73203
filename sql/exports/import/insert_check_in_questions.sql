-- Import: one row of an archive's `check_in_questions`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO check_in_questions (
    template_id, position, kind, prompt, unit
) VALUES (
    :template_id, :position, :kind, :prompt, :unit
)
RETURNING id

-- Import: one row of an archive's `exercises`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
INSERT INTO exercises (
    name, description, muscle_group, equipment, instructions, video_url, created_by, created_at, updated_at
) VALUES (
    :name, :description, :muscle_group, :equipment, :instructions, :video_url, :created_by, :created_at, :updated_at
)
RETURNING id

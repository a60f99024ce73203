-- Import: one row of an archive's `exercises`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO exercises (
    name, description, muscle_group, equipment, instructions, video_url, created_by, created_at, updated_at
) VALUES (
    :name, :description, :muscle_group, :equipment, :instructions, :video_url, :created_by, CAST(CAST(:created_at AS
    TEXT) AS TIMESTAMPTZ), CAST(CAST(:updated_at AS TEXT) AS TIMESTAMPTZ)
)
RETURNING id

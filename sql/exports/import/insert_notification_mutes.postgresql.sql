-- Import: one row of an archive's `notification_mutes`, its ids already rewritten through the id map
-- (elior/exports/importer.py). Every column of the table: tests/exports/test_import_sql.py checks;
-- written by tools/import_sql.py.
-- The archive's times and dates are ISO text and its flags 0/1 (elior/exports/values.py): cast here to
-- the column's TIMESTAMPTZ, DATE or BOOLEAN, as asyncpg takes no text for those.
INSERT INTO notification_mutes (
    user_id, kind, created_at
) VALUES (
    :user_id, :kind, CAST(CAST(:created_at AS TEXT) AS TIMESTAMPTZ)
)

-- Import: the columns of one table and their declared types, to check an archive's values against before they are
-- bound (a text where a number belongs is refused, not stored). PostgreSQL's spelling; SQLite's is columns.sqlite.sql.
SELECT column_name AS name, data_type AS type FROM information_schema.columns
WHERE table_schema = current_schema() AND table_name = :table

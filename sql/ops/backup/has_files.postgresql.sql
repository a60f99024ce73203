-- Backup: whether the snapshot has a files table at all (a database never migrated has none).
SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'files'

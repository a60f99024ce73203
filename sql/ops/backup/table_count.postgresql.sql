-- Restore refuses a database that already has tables: it never overwrites.
SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'

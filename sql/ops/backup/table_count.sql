-- Restore refuses a database that already has tables: it never overwrites.
SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'

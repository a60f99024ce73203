-- Backup: whether the snapshot has a files table at all (a database never migrated has none).
SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'files'

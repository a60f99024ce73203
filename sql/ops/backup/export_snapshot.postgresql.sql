-- Backup: name this repeatable-read transaction's snapshot, so pg_dump --snapshot dumps exactly what it sees.
SELECT pg_export_snapshot()

-- Fold the write-ahead log back into the database file and truncate it, so it does not stay large.
PRAGMA wal_checkpoint(TRUNCATE)

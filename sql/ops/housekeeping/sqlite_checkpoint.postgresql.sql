-- SQLite's upkeep has no PostgreSQL statement (autovacuum does that work): never run there.
SELECT 0

-- SQLite has no advisory locks (and the round takes none there): always "got it".
SELECT 1 WHERE CAST(:key AS BIGINT) IS NOT NULL

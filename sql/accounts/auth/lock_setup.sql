-- SQLite: transactions already run one at a time on the single writer, so there is nothing more to lock.
SELECT 1

-- Restore: the unpacked database is a whole SQLite file before it is renamed into place.
PRAGMA quick_check

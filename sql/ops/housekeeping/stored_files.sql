-- runs long
-- Every stored file's name, to tell orphaned bytes (no row) from missing ones (no bytes).
SELECT filename FROM files

-- Backup: the stored names of the file rows in the snapshot, so the archive holds the bytes of each of them.
SELECT filename FROM files

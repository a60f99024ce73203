-- The photos of the client's progress entries.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM progress_photos x JOIN progress_entries e ON e.id = x.entry_id
WHERE e.client_id = :client_id
ORDER BY x.entry_id, x.position
LIMIT :limit OFFSET :offset

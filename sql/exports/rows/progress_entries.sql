-- The client's progress entries.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT e.* FROM progress_entries e WHERE e.client_id = :client_id
  AND e.id > :after
ORDER BY e.id
LIMIT :limit

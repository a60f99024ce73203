-- The client's logged sets.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT s.* FROM set_logs s WHERE s.client_id = :client_id
  AND s.id > :after
ORDER BY s.id
LIMIT :limit

-- The messages of the client's thread.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT m.* FROM messages m WHERE m.client_id = :client_id
  AND m.id > :after
ORDER BY m.id
LIMIT :limit

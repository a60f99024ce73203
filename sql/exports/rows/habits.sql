-- The client's habits.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT h.* FROM habits h WHERE h.client_id = :client_id
  AND h.id > :after
ORDER BY h.id
LIMIT :limit

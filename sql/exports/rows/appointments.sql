-- The client's appointments.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT a.* FROM appointments a WHERE a.client_id = :client_id
  AND a.id > :after
ORDER BY a.id
LIMIT :limit

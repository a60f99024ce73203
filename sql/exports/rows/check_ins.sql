-- The client's check-ins.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT c.* FROM check_ins c WHERE c.client_id = :client_id
  AND c.id > :after
ORDER BY c.id
LIMIT :limit

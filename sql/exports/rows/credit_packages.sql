-- The client's credit packages.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT p.* FROM credit_packages p WHERE p.client_id = :client_id
  AND p.id > :after
ORDER BY p.id
LIMIT :limit

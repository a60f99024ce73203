-- The client's own row (password_hash is dropped by elior/exports/tables.py).
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT u.* FROM users u WHERE u.id = :client_id
  AND u.id > :after
ORDER BY u.id
LIMIT :limit

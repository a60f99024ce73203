-- The client's profile.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT p.* FROM profiles p WHERE p.user_id = :client_id
  AND p.user_id > :after
ORDER BY p.user_id
LIMIT :limit

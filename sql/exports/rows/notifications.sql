-- The client's notifications.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT n.* FROM notifications n WHERE n.user_id = :client_id
  AND n.id > :after
ORDER BY n.id
LIMIT :limit

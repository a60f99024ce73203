-- The client's workout logs.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT l.* FROM workout_logs l WHERE l.client_id = :client_id
  AND l.id > :after
ORDER BY l.id
LIMIT :limit

-- The client's workouts.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT w.* FROM workouts w WHERE w.client_id = :client_id
  AND w.id > :after
ORDER BY w.id
LIMIT :limit

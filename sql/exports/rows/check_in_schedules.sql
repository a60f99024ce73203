-- The client's check-in schedule.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT s.* FROM check_in_schedules s WHERE s.client_id = :client_id
  AND s.client_id > :after
ORDER BY s.client_id
LIMIT :limit

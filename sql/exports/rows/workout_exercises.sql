-- The exercise lines of the client's workouts.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT we.* FROM workout_exercises we JOIN workouts w ON w.id = we.workout_id
WHERE w.client_id = :client_id
  AND we.id > :after
ORDER BY we.id
LIMIT :limit

-- The programs assigned to the client, or that the client's workouts were made from.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT p.* FROM programs p WHERE p.id IN (SELECT program_id FROM program_assignments WHERE client_id = :client_id UNION SELECT program_id FROM workouts WHERE client_id = :client_id AND program_id IS NOT NULL)
  AND p.id > :after
ORDER BY p.id
LIMIT :limit

-- The exercise lines of those templates.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT pl.* FROM program_lines pl JOIN program_workouts pw ON pw.id = pl.template_id
WHERE pw.program_id IN (SELECT program_id FROM program_assignments WHERE client_id = :client_id UNION SELECT program_id FROM workouts WHERE client_id = :client_id AND program_id IS NOT NULL)
  AND pl.id > :after
ORDER BY pl.id
LIMIT :limit

-- The questions of those forms.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT q.* FROM check_in_questions q WHERE q.template_id IN (SELECT template_id FROM check_in_schedules WHERE client_id = :client_id UNION SELECT template_id FROM check_ins WHERE client_id = :client_id)
  AND q.id > :after
ORDER BY q.id
LIMIT :limit

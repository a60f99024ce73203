-- The answers of the client's check-ins.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM check_in_answers x JOIN check_ins c ON c.id = x.check_in_id
WHERE c.client_id = :client_id
ORDER BY x.check_in_id, x.question_id
LIMIT :limit OFFSET :offset

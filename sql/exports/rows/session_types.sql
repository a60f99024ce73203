-- The session types the client's appointments, packages and ledger name.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). Keyset paging on the key: :after is the last key of the last page.
SELECT t.* FROM session_types t WHERE t.id IN (SELECT type_id FROM appointments WHERE client_id = :client_id UNION SELECT type_id FROM credit_packages WHERE client_id = :client_id UNION SELECT type_id FROM credit_ledger WHERE client_id = :client_id)
  AND t.id > :after
ORDER BY t.id
LIMIT :limit

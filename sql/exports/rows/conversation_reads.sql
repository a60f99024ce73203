-- How far each participant has read the client's thread.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM conversation_reads x WHERE x.client_id = :client_id
ORDER BY x.client_id, x.user_id
LIMIT :limit OFFSET :offset

-- The attachments of the client's thread's messages.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM message_attachments x JOIN messages m ON m.id = x.message_id
WHERE m.client_id = :client_id
ORDER BY x.message_id, x.position
LIMIT :limit OFFSET :offset

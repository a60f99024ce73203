-- Attaches one of the sender's own uploads about this thread's client, so that both participants may read it
-- (sql/files/visible.sql): a file someone else uploaded, or one about another client, is not found (no row).
INSERT INTO message_attachments (message_id, position, filename)
SELECT :message_id, :position, f.filename
FROM files f
WHERE f.filename = :filename AND f.owner_id = :caller_id AND f.client_id = :client_id
RETURNING filename

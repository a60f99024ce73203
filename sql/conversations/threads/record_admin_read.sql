-- An admin read a client's thread (support): kept for the privacy issue's access log.
INSERT INTO message_reads_by_admin (admin_id, client_id, read_at)
VALUES (:caller_id, :client_id, :now)

-- The notification kinds the client muted.
-- A page of one export (elior/exports/writer.py): a job of the server's own, whose caller was checked when it was
-- requested (sql/exports/jobs/visible_client.sql). The key has two columns: pages by offset, in key order.
SELECT x.* FROM notification_mutes x WHERE x.user_id = :client_id
ORDER BY x.user_id, x.kind
LIMIT :limit OFFSET :offset

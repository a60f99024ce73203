-- The oldest pushes still pending since :before (their writer has not heard its own NOTIFY: a listener that was
-- reconnecting, a process killed at the wrong moment), taken out in the caller's transaction, which NOTIFYs them.
-- SKIP LOCKED: two processes sweeping at once never push one row twice.
DELETE FROM notification_outbox
WHERE id IN (SELECT id FROM notification_outbox WHERE created_at <= :before ORDER BY id LIMIT :limit
             FOR UPDATE SKIP LOCKED)
RETURNING id, payload

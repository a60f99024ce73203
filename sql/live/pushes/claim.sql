-- The oldest pending pushes written up to :before, taken out to be pushed in the caller's transaction (which also
-- publishes them: a failure puts them back). On SQLite every row is committed by the time the single writer runs
-- this, so :before is now; ids follow commit order.
DELETE FROM notification_outbox
WHERE id IN (SELECT id FROM notification_outbox WHERE created_at <= :before ORDER BY id LIMIT :limit)
RETURNING id, payload

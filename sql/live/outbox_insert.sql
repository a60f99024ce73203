-- A batch too large for a NOTIFY payload (8000 bytes): stored here, and only its id is notified.
INSERT INTO realtime_outbox (payload, created_at)
VALUES (:payload, :now)
RETURNING id

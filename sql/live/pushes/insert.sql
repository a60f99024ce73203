-- Inside the write's transaction: the pushes it makes once committed, as the fan-out carries them ({"d": [...]}).
INSERT INTO notification_outbox (payload, created_at)
VALUES (:payload, :now)
RETURNING id

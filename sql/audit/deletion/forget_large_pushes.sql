-- The same for event batches too large for one NOTIFY, parked for the listening processes (sql/migrations/*/0006).
DELETE FROM realtime_outbox
WHERE payload LIKE :within ESCAPE '!' OR payload LIKE :last ESCAPE '!'

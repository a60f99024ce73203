-- How many pushes wait in the outbox (for /metrics and the tests).
SELECT COUNT(*) FROM notification_outbox

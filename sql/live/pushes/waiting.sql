-- Whether any push written up to :before still waits: a sweep reads this before it takes any lock.
SELECT 1 FROM notification_outbox WHERE created_at <= :before LIMIT 1

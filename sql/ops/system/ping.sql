-- The cheapest statement that still goes through the database: its latency is the health check's figure.
SELECT 1

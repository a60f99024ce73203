-- Proves the dedicated LISTEN connection is still alive (a silent network loss sends no termination).
SELECT 1

-- Two processes starting at once: the second waits here until the first has committed its migrations.
SELECT pg_advisory_xact_lock(7415061)

-- The round's lock, held until its transaction ends: only one process runs a round at a time, the others skip it.
SELECT pg_try_advisory_xact_lock(CAST(:key AS BIGINT))

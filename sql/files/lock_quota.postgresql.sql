-- Two uploads for one account at once: the second waits here, so both cannot pass the quota check together.
SELECT pg_advisory_xact_lock(7415062, CAST(:user_id AS INTEGER))

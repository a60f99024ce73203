-- Jobs whose workers died :max_attempts times are failed rather than tried for ever (a client whose data crashes
-- the writer must not keep a worker busy).
UPDATE exports
SET status = 'failed', error = :error, finished_at = :now, expires_at = :expires_at, claim = NULL, lease_until = NULL
WHERE status = 'running' AND lease_until <= :stale_before AND attempts >= CAST(:max_attempts AS INTEGER)
RETURNING id

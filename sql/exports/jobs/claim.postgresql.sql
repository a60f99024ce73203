-- A worker claims the next export to run: a job of the server's own, about no caller. Queued, or running with a
-- lease that ran out (its worker died: the job starts over). SKIP LOCKED lets several processes each take a
-- different row; the CTE runs once (see sql/mail/queue/claim.postgresql.sql).
WITH next AS (
    SELECT id FROM exports
    WHERE status = 'queued' OR (status = 'running' AND lease_until <= :stale_before)
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
)
UPDATE exports x
SET status = 'running', claim = :claim, lease_until = :lease_until, attempts = x.attempts + 1, started_at = :now,
    progress = 0
FROM next
WHERE x.id = next.id
RETURNING x.id, x.client_id, x.attempts, x.claim

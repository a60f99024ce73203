-- A worker claims the next export to run: a job of the server's own, about no caller. Queued, or running with a
-- lease that ran out (its worker died: the job starts over). The lease stops anyone else taking it meanwhile; one
-- UPDATE is atomic on SQLite, whose writes run one at a time; PostgreSQL has its own file.
UPDATE exports
SET status = 'running', claim = :claim, lease_until = :lease_until, attempts = attempts + 1, started_at = :now,
    progress = 0
WHERE id IN (SELECT id FROM exports
             WHERE status = 'queued' OR (status = 'running' AND lease_until <= :stale_before)
             ORDER BY id LIMIT 1)
  AND (status = 'queued' OR (status = 'running' AND lease_until <= :stale_before))
RETURNING id, client_id, attempts, claim

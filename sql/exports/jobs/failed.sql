-- The job failed; the error is a sentence safe to show (elior/exports/jobs.py), never a trace.
UPDATE exports
SET status = 'failed', error = :error, finished_at = :now, expires_at = :expires_at, claim = NULL, lease_until = NULL
WHERE id = :id AND claim = :claim AND status = 'running'
RETURNING id

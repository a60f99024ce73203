-- The job finished: its ZIP is ready until :expires_at.
UPDATE exports
SET status = 'done', progress = 100, path = :path, size_bytes = :size_bytes, finished_at = :now,
    expires_at = :expires_at, claim = NULL, lease_until = NULL, error = NULL
WHERE id = :id AND claim = :claim AND status = 'running'
RETURNING id

-- A new export job, queued; the caller was checked by visible_client in the same transaction.
INSERT INTO exports (client_id, requested_by, status, progress, attempts, created_at)
VALUES (:client_id, :requested_by, 'queued', 0, 0, :now)
RETURNING id, client_id, status, progress, created_at, started_at, finished_at, expires_at, size_bytes, error

-- One export, only when the caller may see its client (the same rule as requesting it): else no row, a 404.
SELECT e.id, e.client_id, e.status, e.progress, e.created_at, e.started_at, e.finished_at, e.expires_at,
       e.size_bytes, e.error
FROM exports e
JOIN users c ON c.id = e.client_id
WHERE e.id = :id
  AND {{ caller_sees_client }}

-- A client's exports, newest first, when the caller may see that client.
SELECT e.id, e.client_id, e.status, e.progress, e.created_at, e.started_at, e.finished_at, e.expires_at,
       e.size_bytes, e.error
FROM exports e
JOIN users c ON c.id = e.client_id
WHERE e.client_id = :client_id
  AND {{ caller_sees_client }}
ORDER BY e.id DESC
LIMIT :limit OFFSET :offset

-- What the caller may see (the rule of files.visible), newest first, optionally of one client and one purpose.
SELECT f.filename, f.content_type, f.size, f.purpose, f.client_id, f.created_at
FROM files f
LEFT JOIN users c ON c.id = f.client_id
WHERE ({{ caller_sees_client }} OR (f.client_id IS NULL AND f.owner_id = :caller_id))
  AND (CAST(:client_id AS BIGINT) IS NULL OR f.client_id = :client_id)
  AND (CAST(:purpose AS TEXT) IS NULL OR f.purpose = :purpose)
ORDER BY f.created_at DESC, f.id DESC
LIMIT :limit OFFSET :offset

-- The total behind files.list: the same conditions, no page.
SELECT COUNT(*)
FROM files f
LEFT JOIN users c ON c.id = f.client_id
WHERE ({{ caller_sees_client }} OR (f.client_id IS NULL AND f.owner_id = :caller_id))
  AND (CAST(:client_id AS BIGINT) IS NULL OR f.client_id = :client_id)
  AND (CAST(:purpose AS TEXT) IS NULL OR f.purpose = :purpose)

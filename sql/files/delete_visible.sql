-- Delete a file the caller may see (the same rule as files.visible); no row back means not found.
DELETE FROM files
WHERE filename = :filename
  AND (:caller_role = 'admin'
       OR (client_id IS NULL AND owner_id = :caller_id)
       OR EXISTS (SELECT 1 FROM users c WHERE c.id = files.client_id AND {{ caller_sees_client }}))
RETURNING filename, client_id

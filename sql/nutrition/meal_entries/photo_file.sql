-- A photo may be attached only if it is one of the client's own files (about them, or uploaded by them).
SELECT f.filename
FROM files f
WHERE f.filename = :filename
  AND (f.client_id = :client_id OR (f.client_id IS NULL AND f.owner_id = :client_id))

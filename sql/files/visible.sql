-- A file by name, only when the caller may see it: the client it is about, their trainer, admins; a file about no
-- client (a trainer's avatar), only its uploader and admins.
SELECT f.filename, f.content_type, f.size, f.sha256, f.encrypted, f.purpose, f.client_id, f.created_at
FROM files f
LEFT JOIN users c ON c.id = f.client_id
WHERE f.filename = :filename
  AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id
       OR (f.client_id IS NULL AND f.owner_id = :caller_id))

-- A file by name, only when the caller may see it: one about a client, whoever may see that client
-- (sql/shared/caller_sees_client.sql); one about no client (a trainer's avatar), only its uploader and admins.
SELECT f.filename, f.content_type, f.size, f.sha256, f.encrypted, f.purpose, f.client_id, f.created_at
FROM files f
LEFT JOIN users c ON c.id = f.client_id
WHERE f.filename = :filename
  AND ({{ caller_sees_client }} OR (f.client_id IS NULL AND f.owner_id = :caller_id))

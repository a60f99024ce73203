INSERT INTO files (filename, owner_id, client_id, purpose, content_type, size, sha256, encrypted, created_at)
VALUES (:filename, :owner_id, :client_id, :purpose, :content_type, :size, :sha256, :encrypted, :now)
RETURNING filename, content_type, size, purpose, client_id, created_at

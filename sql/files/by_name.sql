-- Only for a request that carries a valid signed URL for this very name: the signature is the authorization.
SELECT filename, content_type, size, sha256, encrypted, purpose, client_id, created_at
FROM files
WHERE filename = :filename

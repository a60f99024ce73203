-- The client an upload is about, found only when the caller may see them (the one shape of sql/README.md).
SELECT c.id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

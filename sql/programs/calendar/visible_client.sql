-- A client the caller may see (themself, their trainer, an admin), for ?client_id=: 404 otherwise.
SELECT c.id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

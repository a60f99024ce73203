-- Whether the caller may export this client: the client themself, their trainer, an admin (sql/shared/).
SELECT c.id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

-- The client a schedule is set for, when the caller coaches them (their trainer, an admin).
SELECT c.id, c.full_name
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_coaches_client }}

-- A package of credits recorded for a client the caller coaches (their trainer, an admin).
INSERT INTO credit_packages (client_id, type_id, credits, expires_on, note, created_by, created_at)
SELECT c.id, :type_id, :credits, :expires_on, :note, :caller_id, :now
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_coaches_client }}
RETURNING id

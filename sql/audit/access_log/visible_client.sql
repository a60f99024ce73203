-- A client whose access log the caller may read: the client themself, or an admin (never their trainer: the log is
-- what the client checks their trainer by).
SELECT c.id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND (:caller_role = 'admin' OR c.id = :caller_id)

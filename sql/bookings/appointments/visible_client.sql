-- A client the caller may see (themself, their trainer's, an admin's): the check before a list of one client's.
SELECT c.id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

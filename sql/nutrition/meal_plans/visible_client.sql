-- The client a plan is for, when the caller may see them (the one scope shape of sql/README.md); none otherwise.
SELECT c.id, c.trainer_id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'
  AND {{ caller_sees_client }}

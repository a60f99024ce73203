-- Which of a JSON array of user ids are clients the caller may assign work to (their own; an admin: any client).
SELECT c.id, c.full_name AS client_name
FROM users c
WHERE c.id IN (SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST(:ids AS JSONB)))
  AND c.role = 'client'
  AND {{ caller_coaches_client }}

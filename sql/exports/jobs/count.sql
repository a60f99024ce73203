-- How many exports page.sql can list.
SELECT COUNT(*)
FROM exports e
JOIN users c ON c.id = e.client_id
WHERE e.client_id = :client_id
  AND {{ caller_sees_client }}

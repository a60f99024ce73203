-- runs long
SELECT COUNT(*)
FROM users c
CROSS JOIN progress_entries p
WHERE p.client_id = c.id
  AND {{ caller_sees_client }}
  AND p.date >= :date_from AND p.date <= :date_to

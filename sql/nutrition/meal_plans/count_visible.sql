SELECT COUNT(*)
FROM users c
CROSS JOIN meal_plans p
WHERE p.client_id = c.id
  AND {{ caller_sees_client }}

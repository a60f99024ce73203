SELECT COUNT(*)
FROM users c
CROSS JOIN meal_plans p
WHERE p.client_id = c.id
  AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)

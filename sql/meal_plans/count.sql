SELECT COUNT(*)
FROM meal_plans p
JOIN users c ON c.id = p.client_id
 AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
WHERE p.client_id = :client_id

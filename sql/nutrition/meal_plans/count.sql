-- Naming the client twice (p.client_id and c.id) lets the planner read that one user row first, by its key.
SELECT COUNT(*)
FROM meal_plans p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
WHERE p.client_id = :client_id AND c.id = :client_id

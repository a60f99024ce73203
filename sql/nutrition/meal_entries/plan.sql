-- The plan an entry is logged against, when the caller may see it.
SELECT p.id, p.client_id, p.start_date, p.end_date
FROM meal_plans p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
WHERE p.id = :plan_id

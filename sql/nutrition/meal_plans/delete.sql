-- Its meals, items and the client's entries against it go with it (ON DELETE CASCADE).
DELETE FROM meal_plans
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = meal_plans.client_id AND {{ caller_coaches_client }})
RETURNING id, client_id

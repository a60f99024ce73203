-- Its meals, items and the client's entries against it go with it (ON DELETE CASCADE).
DELETE FROM meal_plans
WHERE id = :id
  AND client_id IN (SELECT c.id FROM users c
                    WHERE (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
                      AND :caller_role <> 'client')
RETURNING id

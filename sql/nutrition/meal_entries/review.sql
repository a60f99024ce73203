-- Only the client's trainer or an admin reviews; the last clause keeps a client out even if a route let one in.
UPDATE meal_entries
SET status = :status, review_comment = :comment, reviewed_by = :caller_id, reviewed_at = :now, updated_at = :now
WHERE id = :entry_id AND plan_id = :plan_id
  AND client_id IN (SELECT c.id FROM users c
                    WHERE (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
                      AND :caller_role <> 'client')
RETURNING id, plan_id, client_id, date, meal_name, description, photo_file, kcal, protein_g, carbs_g, fat_g,
          status, review_comment, reviewed_by, reviewed_at, created_at, updated_at

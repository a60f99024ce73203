-- Only the client's trainer or an admin reviews (caller_coaches_client): a client is kept out even if a route let
-- one in.
UPDATE meal_entries
SET status = :status, review_comment = :comment, reviewed_by = :caller_id, reviewed_at = :now, updated_at = :now
WHERE id = :entry_id AND plan_id = :plan_id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = meal_entries.client_id AND {{ caller_coaches_client }})
RETURNING id, plan_id, client_id, date, meal_name, description, photo_file, kcal, protein_g, carbs_g, fat_g,
          status, review_comment, reviewed_by, reviewed_at, created_at, updated_at

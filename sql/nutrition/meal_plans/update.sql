UPDATE meal_plans
SET title = :title, notes = :notes, start_date = :start_date, end_date = :end_date,
    target_kcal = :target_kcal, target_protein_g = :target_protein_g, target_carbs_g = :target_carbs_g,
    target_fat_g = :target_fat_g, updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = meal_plans.client_id AND {{ caller_coaches_client }})

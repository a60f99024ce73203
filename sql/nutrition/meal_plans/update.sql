UPDATE meal_plans
SET title = :title, notes = :notes, start_date = :start_date, end_date = :end_date,
    target_kcal = :target_kcal, target_protein_g = :target_protein_g, target_carbs_g = :target_carbs_g,
    target_fat_g = :target_fat_g, updated_at = :now
WHERE id = :id
  AND client_id IN (SELECT c.id FROM users c
                    WHERE (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
                      AND :caller_role <> 'client')

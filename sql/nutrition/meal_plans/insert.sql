INSERT INTO meal_plans (client_id, trainer_id, title, notes, start_date, end_date,
                        target_kcal, target_protein_g, target_carbs_g, target_fat_g, created_at, updated_at)
VALUES (:client_id, :trainer_id, :title, :notes, :start_date, :end_date,
        :target_kcal, :target_protein_g, :target_carbs_g, :target_fat_g, :now, :now)
RETURNING id

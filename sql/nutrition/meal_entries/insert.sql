INSERT INTO meal_entries (plan_id, client_id, date, meal_name, description, photo_file,
                          kcal, protein_g, carbs_g, fat_g, status, created_at, updated_at)
VALUES (:plan_id, :client_id, :date, :meal_name, :description, :photo_file,
        :kcal, :protein_g, :carbs_g, :fat_g, 'pending', :now, :now)
RETURNING id, plan_id, client_id, date, meal_name, description, photo_file, kcal, protein_g, carbs_g, fat_g,
          status, review_comment, reviewed_by, reviewed_at, created_at, updated_at

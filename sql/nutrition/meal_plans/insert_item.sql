INSERT INTO meal_items (meal_id, position, food, quantity_g, kcal, protein_g, carbs_g, fat_g)
VALUES (:meal_id, :position, :food, :quantity_g, :kcal, :protein_g, :carbs_g, :fat_g)

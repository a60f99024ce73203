-- One plan with its meals and items, one row per item (a meal without items gives one row of NULL items).
SELECT p.id, p.client_id, p.trainer_id, p.title, p.notes, p.start_date, p.end_date,
       p.target_kcal, p.target_protein_g, p.target_carbs_g, p.target_fat_g, p.created_at, p.updated_at,
       m.id AS meal_id, m.name AS meal_name, m.time AS meal_time, m.position AS meal_position,
       i.food, i.quantity_g, i.kcal, i.protein_g, i.carbs_g, i.fat_g
FROM meal_plans p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
LEFT JOIN meals m ON m.plan_id = p.id
LEFT JOIN meal_items i ON i.meal_id = m.id
WHERE p.id = :id
ORDER BY m.position, i.position

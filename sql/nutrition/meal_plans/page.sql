-- One page of a client's plans (newest start first) with their meals and items, in one statement.
-- Naming the client twice (p.client_id and c.id) lets the planner read that one user row first, by its key.
WITH page AS (
    SELECT p.id, p.client_id, p.trainer_id, p.title, p.notes, p.start_date, p.end_date,
           p.target_kcal, p.target_protein_g, p.target_carbs_g, p.target_fat_g, p.created_at, p.updated_at
    FROM meal_plans p
    JOIN users c ON c.id = p.client_id
     AND {{ caller_sees_client }}
    WHERE p.client_id = :client_id AND c.id = :client_id
    ORDER BY p.start_date DESC, p.id DESC
    LIMIT :limit OFFSET :offset
)
SELECT page.*, m.id AS meal_id, m.name AS meal_name, m.time AS meal_time, m.position AS meal_position,
       i.food, i.quantity_g, i.kcal, i.protein_g, i.carbs_g, i.fat_g
FROM page
LEFT JOIN meals m ON m.plan_id = page.id
LEFT JOIN meal_items i ON i.meal_id = m.id
ORDER BY page.start_date DESC, page.id DESC, m.position, i.position

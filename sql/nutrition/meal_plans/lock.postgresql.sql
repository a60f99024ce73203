-- Holds the plan's row for the read-modify-write of an update, so two updates cannot undo each other's fields.
SELECT p.id, p.client_id, p.trainer_id, p.title, p.notes, p.start_date, p.end_date,
       p.target_kcal, p.target_protein_g, p.target_carbs_g, p.target_fat_g
FROM meal_plans p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
WHERE p.id = :id
FOR UPDATE OF p

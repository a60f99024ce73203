-- An admin's review queue of the whole studio: the clients through users_role, then meal_entries_client.
SELECT e.id, e.plan_id, mp.title AS plan_title, e.client_id, c.full_name AS client_name, e.date, e.meal_name,
       e.description, e.photo_file, e.kcal, e.protein_g, e.carbs_g, e.fat_g, e.status, e.review_comment,
       e.reviewed_by, e.reviewed_at, e.created_at, e.updated_at
FROM users c
JOIN meal_entries e ON e.client_id = c.id AND e.status = :status
JOIN meal_plans mp ON mp.id = e.plan_id
WHERE c.role = 'client' AND {{ caller_sees_client }}
ORDER BY e.date, e.created_at, e.id
LIMIT :limit OFFSET :offset

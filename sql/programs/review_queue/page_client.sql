-- The review queue of one client (a client's own, or ?client_id=): their entries of one status, oldest first,
-- through meal_entries_client (client_id, status).
SELECT e.id, e.plan_id, mp.title AS plan_title, e.client_id, c.full_name AS client_name, e.date, e.meal_name,
       e.description, e.photo_file, e.kcal, e.protein_g, e.carbs_g, e.fat_g, e.status, e.review_comment,
       e.reviewed_by, e.reviewed_at, e.created_at, e.updated_at
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
JOIN meal_plans mp ON mp.id = e.plan_id
WHERE e.client_id = :client_id AND c.id = :client_id AND e.status = :status
ORDER BY e.date, e.created_at, e.id
LIMIT :limit OFFSET :offset

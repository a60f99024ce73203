-- SQLite: the transaction already holds the only writer, so reading the row is enough.
SELECT e.id, e.plan_id, e.client_id, e.date, e.meal_name, e.description, e.photo_file,
       e.kcal, e.protein_g, e.carbs_g, e.fat_g, e.status, e.review_comment,
       e.reviewed_by, e.reviewed_at, e.created_at, e.updated_at
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
WHERE e.id = :entry_id AND e.plan_id = :plan_id

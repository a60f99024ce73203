-- A plan's entries, newest day first, through meal_entries_plan (plan_id, date).
SELECT e.id, e.plan_id, e.client_id, e.date, e.meal_name, e.description, e.photo_file,
       e.kcal, e.protein_g, e.carbs_g, e.fat_g, e.status, e.review_comment,
       e.reviewed_by, e.reviewed_at, e.created_at, e.updated_at
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
WHERE e.plan_id = :plan_id AND e.date >= :date_from AND e.date <= :date_to
  AND (CAST(:status AS TEXT) IS NULL OR e.status = :status)
ORDER BY e.date DESC, e.id DESC
LIMIT :limit OFFSET :offset

-- runs long
-- Per day and status: how many entries, and the macros they logged (NULL macros count as nothing logged).
SELECT e.date, e.status, COUNT(*) AS entries,
       SUM(e.kcal) AS kcal, SUM(e.protein_g) AS protein_g, SUM(e.carbs_g) AS carbs_g, SUM(e.fat_g) AS fat_g
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
WHERE e.plan_id = :plan_id AND e.date >= :date_from AND e.date <= :date_to
GROUP BY e.date, e.status
ORDER BY e.date

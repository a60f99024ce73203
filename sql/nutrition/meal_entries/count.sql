SELECT COUNT(*)
FROM meal_entries e
JOIN users c ON c.id = e.client_id
 AND {{ caller_sees_client }}
WHERE e.plan_id = :plan_id AND e.date >= :date_from AND e.date <= :date_to
  AND (CAST(:status AS TEXT) IS NULL OR e.status = :status)

SELECT COUNT(*)
FROM users c
CROSS JOIN progress_entries p
WHERE p.client_id = c.id
  AND (:caller_role = 'admin' OR c.id = :caller_id OR c.trainer_id = :caller_id)
  AND p.date >= :date_from AND p.date <= :date_to

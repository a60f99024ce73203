-- A trainer whose hours the caller may change: the trainer themself, or an admin.
SELECT t.id, t.full_name
FROM users t
WHERE t.id = :trainer_id AND t.role = 'trainer'
  AND (:caller_role = 'admin' OR t.id = :caller_id)

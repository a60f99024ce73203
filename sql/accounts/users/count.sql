-- The `total` of users.list: the same filters, no page.
SELECT COUNT(*)
FROM users u
WHERE (:caller_role = 'admin' OR u.trainer_id = :caller_id)
  AND (CAST(:role AS TEXT) IS NULL OR u.role = :role)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(u.email) LIKE :pattern ESCAPE '\'
       OR lower(u.full_name) LIKE :pattern ESCAPE '\')

-- The `total` of users.list: the same filters, no page.
SELECT COUNT(*)
FROM users c
WHERE {{ caller_coaches_client }}
  AND (CAST(:role AS TEXT) IS NULL OR c.role = :role)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(c.email) LIKE :pattern ESCAPE '!'
       OR lower(c.full_name) LIKE :pattern ESCAPE '!')

-- Admins see everyone; trainers their clients (sql/shared/caller_coaches_client.sql). `pattern` is a lower-case
-- LIKE pattern from elior/web/search.py, with its escape character.
SELECT {{ user_columns }}
FROM users c
LEFT JOIN profiles p ON p.user_id = c.id
WHERE {{ caller_coaches_client }}
  AND (CAST(:role AS TEXT) IS NULL OR c.role = :role)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(c.email) LIKE :pattern ESCAPE '!'
       OR lower(c.full_name) LIKE :pattern ESCAPE '!')
ORDER BY c.id
LIMIT :limit OFFSET :offset

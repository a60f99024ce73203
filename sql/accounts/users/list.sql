-- Admins see everyone; trainers their clients. `pattern` is a lower-case LIKE pattern with \ as the escape.
SELECT u.id, u.email, u.full_name, u.role, u.trainer_id, u.is_active, u.created_at, u.updated_at,
       p.phone, p.date_of_birth, p.height_cm, p.goals, p.medical_notes
FROM users u
LEFT JOIN profiles p ON p.user_id = u.id
WHERE (:caller_role = 'admin' OR u.trainer_id = :caller_id)
  AND (CAST(:role AS TEXT) IS NULL OR u.role = :role)
  AND (CAST(:pattern AS TEXT) IS NULL OR lower(u.email) LIKE :pattern ESCAPE '\'
       OR lower(u.full_name) LIKE :pattern ESCAPE '\')
ORDER BY u.id
LIMIT :limit OFFSET :offset

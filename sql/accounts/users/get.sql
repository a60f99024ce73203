-- One user as the API shows it, only if the caller may see them: themself, their trainer's view, or an admin.
SELECT u.id, u.email, u.full_name, u.role, u.trainer_id, u.is_active, u.created_at, u.updated_at,
       p.phone, p.date_of_birth, p.height_cm, p.goals, p.medical_notes
FROM users u
LEFT JOIN profiles p ON p.user_id = u.id
WHERE u.id = :id
  AND (:caller_role = 'admin' OR u.id = :caller_id OR u.trainer_id = :caller_id)

-- One user as the API shows it, only if the caller may see them (sql/shared/caller_sees_client.sql): themself, a
-- trainer's client, anyone for an admin.
SELECT c.id, c.email, c.full_name, c.role, c.trainer_id, c.is_active, c.created_at, c.updated_at,
       c.units_weight, c.units_length, c.language, p.phone, p.date_of_birth, p.height_cm, p.goals, p.medical_notes
FROM users c
LEFT JOIN profiles p ON p.user_id = c.id
WHERE c.id = :id
  AND {{ caller_sees_client }}

UPDATE users
SET email = :email, full_name = :full_name, role = :role, trainer_id = :trainer_id, is_active = :is_active,
    updated_at = :now
WHERE id = :id

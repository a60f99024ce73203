INSERT INTO users (email, password_hash, full_name, role, trainer_id, is_active, created_at, updated_at)
VALUES (:email, :password_hash, :full_name, :role, :trainer_id, TRUE, :now, :now)
RETURNING id, email, full_name, role, trainer_id, is_active, created_at, updated_at

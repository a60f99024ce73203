-- A new account; no row back means the email is taken (409), without aborting the surrounding transaction.
INSERT INTO users (email, password_hash, full_name, role, trainer_id, is_active, created_at, updated_at)
VALUES (:email, :password_hash, :full_name, :role, :trainer_id, :is_active, :now, :now)
ON CONFLICT (email) DO NOTHING
RETURNING id

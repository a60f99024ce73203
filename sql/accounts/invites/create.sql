INSERT INTO invites (code, role, email, trainer_id, created_by, created_at, expires_at)
VALUES (:code, :role, :email, :trainer_id, :created_by, :now, :expires_at)
RETURNING code, role, email, trainer_id, created_by, created_at, expires_at, used_at, voided_at

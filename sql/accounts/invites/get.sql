-- An invite presented at registration (the code itself is the secret).
SELECT code, role, email, trainer_id, created_by, expires_at, used_at, voided_at FROM invites WHERE code = :code

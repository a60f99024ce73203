-- Admins see every invite; a trainer the ones they made.
SELECT code, role, email, trainer_id, created_by, created_at, expires_at, used_at, voided_at
FROM invites
WHERE (:caller_role = 'admin' OR created_by = :caller_id)
ORDER BY created_at DESC, code
LIMIT :limit OFFSET :offset

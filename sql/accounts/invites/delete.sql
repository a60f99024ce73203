DELETE FROM invites
WHERE code = :code AND (:caller_role = 'admin' OR created_by = :caller_id)
RETURNING code

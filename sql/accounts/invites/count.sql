SELECT COUNT(*) FROM invites WHERE (:caller_role = 'admin' OR created_by = :caller_id)

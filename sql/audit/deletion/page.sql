-- Deletion requests for admins, open ones first, then newest; the client's name and email while the account exists.
SELECT r.id, r.client_id, c.email, c.full_name, r.status, r.created_at, r.decided_at, r.decided_by
FROM deletion_requests r
LEFT JOIN users c ON c.id = r.client_id
WHERE :caller_role = 'admin' AND (CAST(:status AS TEXT) IS NULL OR r.status = CAST(:status AS TEXT))
ORDER BY CASE WHEN r.status = 'pending' THEN 0 ELSE 1 END, r.id DESC
LIMIT :limit OFFSET :offset

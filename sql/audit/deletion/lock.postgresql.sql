-- One request for an admin to decide, locked: two admins confirming at once delete once.
SELECT r.id, r.client_id, r.status, c.email
FROM deletion_requests r
LEFT JOIN users c ON c.id = r.client_id
WHERE r.id = :id AND :caller_role = 'admin'
FOR UPDATE OF r

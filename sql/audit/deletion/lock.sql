-- One request for an admin to decide, with the client's email (their queued mail goes with them).
SELECT r.id, r.client_id, r.status, c.email
FROM deletion_requests r
LEFT JOIN users c ON c.id = r.client_id
WHERE r.id = :id AND :caller_role = 'admin'

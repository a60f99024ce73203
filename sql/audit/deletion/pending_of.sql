-- The client's open deletion request, if any (asking twice answers the same request).
SELECT r.id, r.client_id, r.status, r.created_at, r.decided_at
FROM deletion_requests r
WHERE r.client_id = :client_id AND r.status = 'pending'

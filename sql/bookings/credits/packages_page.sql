-- A client's packages, newest first, with what is left of each.
SELECT p.id, p.client_id, p.type_id, s.name AS type_name, p.credits, p.expires_on, p.note, p.created_by, p.created_at,
       (SELECT sum(l.delta) FROM credit_ledger l WHERE l.package_id = p.id) AS remaining
FROM credit_packages p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
JOIN session_types s ON s.id = p.type_id
WHERE p.client_id = :client_id AND c.id = :client_id
ORDER BY p.id DESC
LIMIT :limit OFFSET :offset

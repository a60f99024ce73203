-- One package, with what is left of it, when the caller may see its client.
SELECT p.id, p.client_id, p.type_id, s.name AS type_name, p.credits, p.expires_on, p.note, p.created_by, p.created_at,
       (SELECT sum(l.delta) FROM credit_ledger l WHERE l.package_id = p.id) AS remaining
FROM credit_packages p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
JOIN session_types s ON s.id = p.type_id
WHERE p.id = :id

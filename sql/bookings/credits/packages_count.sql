SELECT count(*)
FROM credit_packages p
JOIN users c ON c.id = p.client_id
 AND {{ caller_sees_client }}
WHERE p.client_id = :client_id AND c.id = :client_id

SELECT count(*)
FROM check_ins k
JOIN users c ON c.id = k.client_id
 AND {{ caller_sees_client }}
WHERE k.client_id = :client_id

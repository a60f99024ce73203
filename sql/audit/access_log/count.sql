SELECT count(*)
FROM access_log l
JOIN users c ON c.id = l.client_id
 AND (:caller_role = 'admin' OR c.id = :caller_id)
WHERE l.client_id = :client_id

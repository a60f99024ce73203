SELECT count(*)
FROM credit_ledger l
JOIN users c ON c.id = l.client_id
 AND {{ caller_sees_client }}
WHERE l.client_id = :client_id AND c.id = :client_id AND (CAST(:type_id AS BIGINT) = 0 OR l.type_id = :type_id)

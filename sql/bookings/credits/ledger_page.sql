-- A client's ledger, newest first, each movement with the balance of its session type right after it.
SELECT x.id, x.client_id, x.package_id, x.type_id, x.appointment_id, x.kind, x.delta, x.created_by, x.created_at,
       x.balance_after
FROM (SELECT l.id, l.client_id, l.package_id, l.type_id, l.appointment_id, l.kind, l.delta, l.created_by, l.created_at,
       sum(l.delta) OVER (PARTITION BY l.type_id ORDER BY l.id) AS balance_after
FROM credit_ledger l
JOIN users c ON c.id = l.client_id
 AND {{ caller_sees_client }}
WHERE l.client_id = :client_id AND c.id = :client_id AND (CAST(:type_id AS BIGINT) = 0 OR l.type_id = :type_id)) x
ORDER BY x.id DESC
LIMIT :limit OFFSET :offset

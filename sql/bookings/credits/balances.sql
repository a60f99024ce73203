-- A client's balance per session type: the sum of the ledger, and how many of the credits are held by bookings
-- not yet attended (held ones are already out of the balance).
SELECT l.type_id, s.name AS type_name, sum(l.delta) AS balance,
       sum(CASE WHEN l.kind = 'hold' THEN 1 WHEN l.kind IN ('release', 'spend') THEN -1 ELSE 0 END) AS held
FROM credit_ledger l
JOIN users c ON c.id = l.client_id
 AND {{ caller_sees_client }}
JOIN session_types s ON s.id = l.type_id
WHERE l.client_id = :client_id AND c.id = :client_id
GROUP BY l.type_id, s.name
ORDER BY lower(s.name), l.type_id

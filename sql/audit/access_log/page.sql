-- A client's access log, newest first: who (their id, role and name while the account exists), what, when, from where.
SELECT l.id, l.client_id, l.actor_id, l.actor_role, a.full_name AS actor_name, l.kind, l.address, l.user_agent,
       l.created_at
FROM access_log l
JOIN users c ON c.id = l.client_id
 AND (:caller_role = 'admin' OR c.id = :caller_id)
LEFT JOIN users a ON a.id = l.actor_id
WHERE l.client_id = :client_id
ORDER BY l.id DESC
LIMIT :limit OFFSET :offset

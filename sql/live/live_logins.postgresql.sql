-- Of the logins holding open sockets (a JSON array of ids), those still valid: not revoked, user active.
SELECT l.id AS login_id, u.id AS user_id, u.role
FROM logins l
JOIN users u ON u.id = l.user_id
WHERE l.id IN (SELECT CAST(value AS BIGINT) FROM json_array_elements_text(CAST(:login_ids AS JSON)))
  AND l.revoked_at IS NULL AND u.is_active = TRUE

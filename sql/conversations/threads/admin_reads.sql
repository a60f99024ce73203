-- Who of the admins read a client's thread, and when, newest first (for an admin: the privacy issue's access log).
SELECT r.admin_id, r.client_id, r.read_at
FROM message_reads_by_admin r
WHERE r.client_id = :client_id AND :caller_role = 'admin'
ORDER BY r.id DESC

-- One access-log row of a batch (elior/audit/writer.py, executemany). Written only while the client exists (an
-- account deleted meanwhile leaves nothing; a staff id noted by a list of users is no client), and a reader deleted
-- meanwhile is kept as their role alone.
INSERT INTO access_log (client_id, actor_id, actor_role, kind, address, user_agent, created_at)
SELECT c.id, (SELECT a.id FROM users a WHERE a.id = :actor_id), :actor_role, :kind, :address, :user_agent,
       :created_at
FROM users c
WHERE c.id = :client_id AND c.role = 'client'

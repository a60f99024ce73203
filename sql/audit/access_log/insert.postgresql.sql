-- One access-log row of a batch (elior/audit/writer.py, executemany). Written only while the client exists (an
-- account deleted meanwhile leaves nothing), and a reader deleted meanwhile is kept as their role alone. The casts:
-- a parameter in a SELECT list has no type PostgreSQL could infer from the INSERT's columns.
INSERT INTO access_log (client_id, actor_id, actor_role, kind, address, user_agent, created_at)
SELECT c.id, (SELECT a.id FROM users a WHERE a.id = CAST(:actor_id AS BIGINT)), CAST(:actor_role AS TEXT),
       CAST(:kind AS TEXT), CAST(:address AS TEXT), CAST(:user_agent AS TEXT), CAST(:created_at AS TIMESTAMPTZ)
FROM users c
WHERE c.id = CAST(:client_id AS BIGINT) AND c.role = 'client'

-- Who an event about a client reaches, from the same ownership as the REST API: the client and the trainer the
-- client is assigned to now, only while that user is still a trainer (the rule of sql/shared/caller_sees_client.sql:
-- a demoted trainer no longer sees, nor hears about, their former clients). Admins are added by the hub. Never a
-- user id taken from a request.
SELECT c.id AS client_id, c.full_name AS client_name, t.id AS trainer_id
FROM users c
LEFT JOIN users t ON t.id = c.trainer_id AND t.role = 'trainer'
WHERE c.id = :client_id AND c.role = 'client'

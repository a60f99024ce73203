-- Who an event about client :client_id reaches, from the same ownership as the REST API: the client and the
-- trainer the client is assigned to now (admins are added by the hub). Never a user id taken from a request.
SELECT c.id AS client_id, c.full_name AS client_name, c.trainer_id
FROM users c
WHERE c.id = :client_id AND c.role = 'client'

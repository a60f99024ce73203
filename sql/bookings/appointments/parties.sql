-- The two sides of a booking: the client, when the caller may see them (the client themself, their trainer, an
-- admin), and the trainer they are assigned to now (NULL without one). Asked first, inside the booking's
-- transaction.
SELECT c.id AS client_id, c.full_name AS client_name, t.id AS trainer_id, t.full_name AS trainer_name
FROM users c
LEFT JOIN users t ON t.id = c.trainer_id AND t.role = 'trainer' AND t.is_active = TRUE
WHERE c.id = :client_id AND c.role = 'client' AND c.is_active = TRUE
  AND {{ caller_sees_client }}

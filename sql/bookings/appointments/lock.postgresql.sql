-- PostgreSQL: the booking's trainer and client rows, locked until the transaction ends, in id order (so that two
-- bookings never wait for each other in a circle). Everything that books a trainer's time or spends a client's
-- credit takes these first, so two requests for the last place are decided one after the other: exactly one
-- finds it free. NO KEY UPDATE does not block the foreign-key checks of rows that merely refer to these users.
SELECT id
FROM users
WHERE id IN (:trainer_id, :client_id)
ORDER BY id
FOR NO KEY UPDATE

-- One exception of the trainer (bookings.trainers.managed checked the caller first).
DELETE FROM availability_exceptions
WHERE id = :id AND trainer_id = :trainer_id
RETURNING id

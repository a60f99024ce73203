-- Before the new week is written (bookings.trainers.managed checked the caller, in the same transaction).
DELETE FROM availability_hours
WHERE trainer_id = :trainer_id

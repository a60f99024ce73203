-- A day off or extra hours (bookings.trainers.managed checked the caller, in the same transaction).
INSERT INTO availability_exceptions (trainer_id, day, kind, start_minute, end_minute, note, created_at)
VALUES (:trainer_id, :day, :kind, :start_minute, :end_minute, :note, :now)
RETURNING id, trainer_id, day, kind, start_minute, end_minute, note, created_at

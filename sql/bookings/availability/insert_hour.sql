INSERT INTO availability_hours (trainer_id, weekday, start_minute, end_minute)
VALUES (:trainer_id, :weekday, :start_minute, :end_minute)

-- A trainer's weekly hours (the caller was checked by bookings.trainers.visible or .managed).
SELECT weekday, start_minute, end_minute
FROM availability_hours
WHERE trainer_id = :trainer_id
ORDER BY weekday, start_minute

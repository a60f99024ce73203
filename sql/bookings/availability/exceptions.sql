-- A trainer's exceptions on the local days :date_from to :date_to, a day's whole-day entry first.
SELECT id, trainer_id, day, kind, start_minute, end_minute, note, created_at
FROM availability_exceptions
WHERE trainer_id = :trainer_id AND day >= :date_from AND day <= :date_to
ORDER BY day, coalesce(start_minute, -1), id

-- The number of workouts in the list (sql/shared/workouts_of_trainer.sql), for a page past the last one, whose rows
-- cannot carry it. Dates are always bound (the widest range when not asked for), so the range can use the index.
SELECT COUNT(*)
{{ workouts_of_trainer }}

-- Training: indexes the workout and exercise lists need so that none of them reads a whole table.
-- An admin's studio-wide list filtered by date (the week view) searches this instead of scanning every workout.
CREATE INDEX workouts_scheduled ON workouts (scheduled_for);
-- The library's equipment filter (muscle_group already has its index in 0001).
CREATE INDEX exercises_equipment ON exercises (equipment);

-- Training: indexes the workout and exercise lists need so that none of them reads a whole table.
-- An admin's studio-wide list filtered by date (the week view) searches this instead of scanning every workout.
CREATE INDEX workouts_scheduled ON workouts (scheduled_for);
-- The library's equipment filter (muscle_group already has its index in 0001).
CREATE INDEX exercises_equipment ON exercises (equipment);
-- The exercise history reads a client's sets of one exercise: covering them in the index spares one random table
-- read per set (those rows are scattered through the table in logging order). It supersedes 0001's prefix index.
CREATE INDEX set_logs_history ON set_logs (client_id, exercise_id, log_id) INCLUDE (set_number, reps, weight_kg);
DROP INDEX set_logs_client_exercise;

-- At most one log per workout (workout_logs.workout_id is UNIQUE): a second one inserts nothing, answered 409.
INSERT INTO workout_logs (workout_id, client_id, logged_by, performed_at, duration_minutes, rating, notes, created_at)
VALUES (:workout_id, :client_id, :logged_by, :performed_at, :duration_minutes, :rating, :notes, :now)
ON CONFLICT (workout_id) DO NOTHING
RETURNING id, workout_id, client_id, logged_by, performed_at, duration_minutes, rating, notes, created_at

INSERT INTO workouts (client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at)
VALUES (:client_id, :trainer_id, :title, :notes, :scheduled_for, :status, :now, :now)
RETURNING id, client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, completed_at

-- Only the client's trainer or an admin (clients are refused by the route before this runs).
UPDATE workouts
SET title = :title, notes = :notes, scheduled_for = :scheduled_for, status = :status, updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = workouts.client_id AND {{ caller_coaches_client }})
RETURNING id, client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, completed_at

-- A logged workout is completed; it may be logged by the client themself or by their trainer.
UPDATE workouts
SET status = 'completed', completed_at = :completed_at, updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = workouts.client_id
              AND {{ caller_sees_client }})
RETURNING id, client_id, trainer_id, title, notes, scheduled_for, status, created_at, updated_at, completed_at

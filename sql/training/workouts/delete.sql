-- Only the client's trainer or an admin, and never a logged workout: its log is the client's history.
DELETE FROM workouts
WHERE id = :id AND status <> 'completed'
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = workouts.client_id AND {{ caller_coaches_client }})
RETURNING id

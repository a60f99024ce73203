-- Deletes a habit and its ticks, when the caller coaches its client.
DELETE FROM habits
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = habits.client_id AND {{ caller_coaches_client }})
RETURNING id

-- Changes a habit, when the caller coaches its client.
UPDATE habits SET title = :title, cadence = :cadence, times_per_week = :times_per_week, target_value = :target_value,
    target_unit = :target_unit, archived_at = :archived_at, updated_at = :now
WHERE id = :id
  AND EXISTS (SELECT 1 FROM users c WHERE c.id = habits.client_id AND {{ caller_coaches_client }})
RETURNING id

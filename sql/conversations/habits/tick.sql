-- The client ticks their own habit for a day: once per day, so ticking again only updates the value (idempotent).
INSERT INTO habit_ticks (habit_id, day, value, created_at, updated_at)
SELECT h.id, :day, :value, :now, :now
FROM habits h
JOIN users c ON c.id = h.client_id
 AND c.id = :caller_id AND {{ caller_sees_client }}
WHERE h.id = :id AND h.archived_at IS NULL
ON CONFLICT (habit_id, day) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
RETURNING habit_id, day, value, created_at, updated_at

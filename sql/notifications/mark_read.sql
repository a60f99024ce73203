-- Scoped to the caller in SQL: another user's notification is not found, like a missing one. Marking twice keeps
-- the first time it was read.
UPDATE notifications
SET read_at = COALESCE(read_at, :now)
WHERE id = :id AND user_id = :caller_id
RETURNING id

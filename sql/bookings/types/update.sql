-- A session type's new values (the endpoint merges the change into the old ones). What is booked keeps the
-- duration and buffer it was booked with.
UPDATE session_types
SET name = :name, duration_minutes = :duration_minutes, capacity = :capacity, buffer_minutes = :buffer_minutes,
    uses_credit = :uses_credit, is_active = :is_active, updated_at = :now
WHERE id = :id
RETURNING id, name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at, updated_at

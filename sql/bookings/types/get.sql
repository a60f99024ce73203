-- One session type: studio settings, which every signed-in user may read.
SELECT id, name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at, updated_at
FROM session_types
WHERE id = :id

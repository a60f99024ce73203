-- A new session type (the route lets only admins make one).
INSERT INTO session_types (name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at,
                           updated_at)
VALUES (:name, :duration_minutes, :capacity, :buffer_minutes, :uses_credit, :is_active, :now, :now)
RETURNING id, name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at, updated_at

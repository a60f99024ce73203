-- The studio's session types by name; retired ones only when asked for (:active_only = 0).
SELECT id, name, duration_minutes, capacity, buffer_minutes, uses_credit, is_active, created_at, updated_at
FROM session_types
WHERE (:active_only = 0 OR is_active = TRUE)
ORDER BY lower(name), id
LIMIT :limit OFFSET :offset

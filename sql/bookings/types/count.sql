SELECT count(*)
FROM session_types
WHERE (:active_only = 0 OR is_active = TRUE)

-- Refresh the query planner's statistics where they are stale (cheap; SQLite's advice for long-lived connections).
PRAGMA optimize

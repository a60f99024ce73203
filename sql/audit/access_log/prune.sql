-- runs long
-- Rows older than ACCESS_LOG_DAYS (housekeeping): how many went.
DELETE FROM access_log WHERE created_at < :before
RETURNING id

-- The newest reason an attempt failed, whether or not its mail went out later.
SELECT last_error, last_error_at FROM mail_queue WHERE last_error_at IS NOT NULL
ORDER BY last_error_at DESC, id DESC
LIMIT 1

-- runs long
-- Listeners read a stored batch within milliseconds of its NOTIFY; a minute later nobody needs it.
DELETE FROM realtime_outbox WHERE created_at < :before

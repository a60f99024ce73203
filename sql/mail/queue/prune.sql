-- Done mail older than :before is forgotten: the queue is not an archive.
DELETE FROM mail_queue WHERE status <> 'queued' AND finished_at < :before
RETURNING id

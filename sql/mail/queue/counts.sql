-- The queue at a glance, for GET /api/system/mail and the metrics: the studio's, about no caller.
SELECT (SELECT count(*) FROM mail_queue WHERE status = 'queued') AS queued,
       (SELECT count(*) FROM mail_queue WHERE status = 'sent') AS sent,
       (SELECT count(*) FROM mail_queue WHERE status = 'failed') AS failed,
       (SELECT min(created_at) FROM mail_queue WHERE status = 'queued') AS oldest_queued_at,
       (SELECT max(finished_at) FROM mail_queue WHERE status = 'sent') AS last_sent_at

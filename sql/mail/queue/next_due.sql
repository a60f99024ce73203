-- When the sender has something to do next (a claimed row counts from its lease's end): how long it may sleep.
SELECT min(next_attempt_at) AS next_due FROM mail_queue WHERE status = 'queued'

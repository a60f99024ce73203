-- The sender claims the next due mail for one attempt: a job of the server's own, about no caller. The claim moves
-- `next_attempt_at` to :lease_until, so until then no one else takes the row, and after it (its sender died
-- mid-send) anyone may. With several processes, SKIP LOCKED lets each take a different row instead of queueing on
-- one. The row is picked in a CTE, which runs once: as `WHERE id IN (SELECT ... LIMIT 1 FOR UPDATE SKIP LOCKED)`
-- the planner may run the subquery for every row it scans, and so claim every due row at once.
WITH next AS (
    SELECT id FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= :now
    ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
)
UPDATE mail_queue m
SET attempts = m.attempts + 1, claim = :claim, next_attempt_at = :lease_until, last_attempt_at = :now
FROM next
WHERE m.id = next.id
RETURNING m.id, m.recipient, m.subject, m.text_body, m.html_body, m.message_token, m.attempts, m.created_at

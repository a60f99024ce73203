-- The sender claims the next due mail for one attempt: a job of the server's own, about no caller. The claim moves
-- `next_attempt_at` to :lease_until, so until then no one else takes the row, and after it (its sender died
-- mid-send) anyone may. One UPDATE is atomic on SQLite, whose writes run one at a time; PostgreSQL has its own file.
UPDATE mail_queue
SET attempts = attempts + 1, claim = :claim, next_attempt_at = :lease_until, last_attempt_at = :now
WHERE id IN (SELECT id FROM mail_queue WHERE status = 'queued' AND next_attempt_at <= :now
             ORDER BY next_attempt_at, id LIMIT 1)
  AND status = 'queued' AND next_attempt_at <= :now
RETURNING id, recipient, subject, text_body, html_body, message_token, attempts, created_at

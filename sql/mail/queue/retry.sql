-- The attempt failed and may succeed later: due again at :retry_at, with the reason kept for the admin's view.
UPDATE mail_queue
SET next_attempt_at = :retry_at, claim = NULL, last_error = :error, last_error_at = :now
WHERE id = :id AND claim = :claim AND status = 'queued'
RETURNING id

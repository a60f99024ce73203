-- Refused for good, or the last retry spent: the mail is given up. Its bodies go, its reason stays.
UPDATE mail_queue
SET status = 'failed', finished_at = :now, claim = NULL, text_body = '', html_body = NULL, last_error = :error,
    last_error_at = :now
WHERE id = :id AND claim = :claim AND status = 'queued'
RETURNING id

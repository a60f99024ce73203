-- The SMTP server took the mail: done. The bodies go (they may carry single-use links); the envelope stays.
-- Only the claimer may record it: no row back means the claim had lapsed and someone else may have sent it too.
UPDATE mail_queue
SET status = 'sent', finished_at = :now, claim = NULL, text_body = '', html_body = NULL
WHERE id = :id AND claim = :claim AND status = 'queued'
RETURNING id

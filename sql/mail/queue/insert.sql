-- A mail to send after the caller's transaction commits (elior.mail.queue.enqueue): due at once.
INSERT INTO mail_queue (recipient, subject, text_body, html_body, message_token, status, attempts, created_at,
                        next_attempt_at)
VALUES (:recipient, :subject, :text_body, :html_body, :message_token, 'queued', 0, :now, :now)
RETURNING id

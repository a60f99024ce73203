"""E-mail: the persisted queue, the sender task of the lifespan, and the admin's view of both.

Infrastructure: it knows nothing of the studio's domains, which use it as

    from elior.mail import enqueue, mail_enabled

- elior.mail.queue: `enqueue(db, to, subject, text, html)` in the caller's transaction, and the queue's figures;
- elior.mail.sender: `MailSender(settings, db)`, started and stopped by the lifespan, `wake()` after a commit;
- elior.mail.smtp: one SMTP conversation (smtplib), the message (plain text + HTML), the outcome judged;
- elior.mail.config: what the settings mean (`mail_enabled`, the retry schedule);
- elior.mail.routes: GET /api/system/mail;  elior.mail.metrics: the sender's figures for /metrics.
"""
from elior.mail.config import mail_enabled
from elior.mail.queue import enqueue

__all__ = ["enqueue", "mail_enabled"]

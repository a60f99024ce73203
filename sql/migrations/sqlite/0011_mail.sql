-- E-mail (issue 17): the persisted queue every mail goes through (elior/mail). A mail is a row written inside the
-- transaction of the write that promises it, so it commits or rolls back with that write; the sender claims due rows
-- one at a time, sends them after commit and records the outcome. Same table, keys and checks as the PostgreSQL file
-- of this number.
--
-- `next_attempt_at` is both the schedule and the claim: claiming a row moves it past the longest a send may take, so
-- a sender that dies mid-send leaves its mail due again later (sent at least once, never lost). `claim` is the
-- claimer's token: only it may record the outcome. A row that is done (`sent` or `failed`) keeps its envelope and
-- times but not its bodies, which may carry single-use links; done rows are deleted after 30 days.
CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recipient TEXT NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    subject TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 500),
    text_body TEXT NOT NULL CHECK (length(text_body) <= 100000),
    html_body TEXT CHECK (length(html_body) <= 500000),
    message_token TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at TEXT NOT NULL,
    next_attempt_at TEXT NOT NULL,
    last_attempt_at TEXT,
    claim TEXT,
    last_error TEXT CHECK (length(last_error) <= 500),
    last_error_at TEXT,
    finished_at TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (status, next_attempt_at);
CREATE INDEX mail_queue_errors ON mail_queue (last_error_at);
CREATE INDEX mail_queue_finished ON mail_queue (finished_at);

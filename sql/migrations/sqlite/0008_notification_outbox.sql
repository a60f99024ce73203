-- The notification outbox (issue 14): the pushes a write must make, committed in the write's own transaction with
-- the notifications it stores, and deleted once pushed (elior/live/outbox.py). A row left here by a crash is pushed
-- by the next sweep, so a fault between the commit and the push delays a push but never loses one.
CREATE TABLE notification_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);

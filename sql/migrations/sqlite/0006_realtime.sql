-- Live updates: event batches too large for one PostgreSQL NOTIFY payload wait here for the listening processes.
-- (SQLite runs one process and delivers in memory; the table exists so both dialects share one schema.)
CREATE TABLE realtime_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    payload TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX realtime_outbox_created ON realtime_outbox (created_at);

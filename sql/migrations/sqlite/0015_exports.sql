-- Exports (issue 18): one row per requested ZIP of a client's data (elior/exports). Same table, keys and checks as
-- the PostgreSQL file of this number.
--
-- The row is the job's claim: a worker takes a queued row (or a running one whose lease ran out: its worker died)
-- by setting `claim` and `lease_until` in one conditional UPDATE, renews the lease as it writes progress, and only
-- the holder of the claim may record the outcome. `path` is the finished ZIP's name under ELIOR_DATA_DIR/exports;
-- `expires_at` is when housekeeping removes row and file (elior.exports.remove_expired).
CREATE TABLE exports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    requested_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    claim TEXT,
    lease_until TEXT,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    path TEXT CHECK (path IS NULL OR length(path) <= 200),
    size_bytes INTEGER CHECK (size_bytes IS NULL OR size_bytes >= 0),
    error TEXT CHECK (error IS NULL OR length(error) <= 500),
    created_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    expires_at TEXT
);
CREATE INDEX exports_client ON exports (client_id, id);
CREATE INDEX exports_requested_by ON exports (requested_by);
CREATE INDEX exports_due ON exports (status, lease_until);
CREATE INDEX exports_expiry ON exports (expires_at);

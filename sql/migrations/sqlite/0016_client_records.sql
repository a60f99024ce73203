-- A client's records (issue 18): who read or changed them (the access log), and the client's requests to be deleted.
-- The access log is append-only, by the database itself: rows are only ever added, and removed (housekeeping after
-- ACCESS_LOG_DAYS, or with the client); the one change allowed is the reader's id cleared when that account goes.
CREATE TABLE access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    actor_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    actor_role TEXT NOT NULL CHECK (actor_role IN ('client', 'trainer', 'admin')),
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 60),
    address TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 100),
    user_agent TEXT NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
    request_id INTEGER,
    created_at TEXT NOT NULL,
    -- Only the row that says an account was deleted has no client: it names the deletion request instead.
    CHECK ((client_id IS NULL) = (kind = 'account.deleted'))
);
CREATE INDEX access_log_client ON access_log (client_id, id);
CREATE INDEX access_log_actor ON access_log (actor_id);
CREATE INDEX access_log_created ON access_log (created_at);
CREATE TRIGGER access_log_append_only
BEFORE UPDATE OF id, client_id, actor_role, kind, address, user_agent, request_id, created_at ON access_log
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;
CREATE TRIGGER access_log_actor_only_cleared
BEFORE UPDATE OF actor_id ON access_log WHEN NEW.actor_id IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END;

-- A client's request to have their account deleted; an admin confirms or rejects it. Once done, the row keeps only
-- that a request was made and decided (client_id is cleared with the account), never who asked.
CREATE TABLE deletion_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rejected', 'done')),
    created_at TEXT NOT NULL,
    decided_at TEXT,
    decided_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX deletion_requests_one_pending ON deletion_requests (client_id) WHERE status = 'pending';
CREATE INDEX deletion_requests_client ON deletion_requests (client_id);
CREATE INDEX deletion_requests_decided_by ON deletion_requests (decided_by);

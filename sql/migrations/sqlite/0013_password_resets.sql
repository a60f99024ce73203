-- Password resets (issue 17): single-use links, by mail or handed over by an admin or trainer, and the requests that
-- asked for them (the per-account and per-address limits). Same tables, keys and checks as the PostgreSQL file of
-- this number. A link's token is kept only as its SHA-256: the database alone cannot reset anyone's password.
-- Sessions need no column here: a login's last use is its newest refresh token (refresh_tokens.created_at).
CREATE TABLE password_resets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    -- NULL: asked for by mail; else the admin or trainer who made it to hand over.
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX password_resets_user ON password_resets (user_id);

-- Every accepted request of POST /api/auth/password-reset, known address or not (so the limit itself tells nothing);
-- rows older than the window are pruned as new ones come.
CREATE TABLE password_reset_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX password_reset_requests_email ON password_reset_requests (email, created_at);
CREATE INDEX password_reset_requests_address ON password_reset_requests (address, created_at);

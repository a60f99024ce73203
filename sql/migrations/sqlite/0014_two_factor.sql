-- Two-factor sign-in and e-mail notification preferences (issue 17). Same tables, keys and checks as the PostgreSQL
-- file of this number.
--
-- `two_factor`: one row per user who started enrolling. `secret` is the TOTP secret, either as itself (`plain:`) or
-- sealed with FILE_ENCRYPTION_KEY (`aesgcm:`, elior/accounts/two_factor.py). `enabled_at` is NULL until a code
-- confirms the enrolment. `last_step` is the RFC 6238 time-step of the last code accepted: a code is taken only for a
-- later step, so a code seen once (shoulder, proxy log) cannot be used again within its window.
CREATE TABLE two_factor (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    secret TEXT NOT NULL CHECK (length(secret) <= 500),
    created_at TEXT NOT NULL,
    enabled_at TEXT,
    last_step INTEGER
);
-- Ten single-use recovery codes per enrolment, kept only as SHA-256 (each is 80 random bits, like a refresh token).
CREATE TABLE two_factor_recovery_codes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT,
    UNIQUE (user_id, code_hash)
);
-- Per user and notification kind: mail it `immediately`, in the `daily` digest, or `never` (no row: never).
CREATE TABLE notification_preferences (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (length(kind) <= 100),
    delivery TEXT NOT NULL CHECK (delivery IN ('immediately', 'daily', 'never')),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);
-- The daily digest's bookmark: a user has a row once any kind is `daily`. The digest job claims a user by moving
-- `last_digest_at` on in the transaction that queues the mail (`previous_digest_at` keeps where it started).
CREATE TABLE notification_digests (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_digest_at TEXT NOT NULL,
    previous_digest_at TEXT
);
CREATE INDEX notification_digests_due ON notification_digests (last_digest_at);

-- Bookings (issue 19): session types, trainers' weekly hours and their exceptions, appointments, packages of
-- credits and the append-only ledger of every credit movement. Times of appointments are UTC ("...Z" text); weekly
-- hours and exceptions are wall-clock minutes of the studio's time zone (STUDIO_TIMEZONE), because "Mondays 09:00"
-- is 08:00 UTC in winter and 07:00 UTC in summer. Every column that refers to users has an index, so deleting a
-- user never reads one of these tables whole to check its foreign keys.

-- What can be booked, set by the owner: a 60-minute personal session (capacity 1) or a small group (capacity N).
-- `buffer_minutes` is kept free after each session of the type. A type in use is retired (is_active), not deleted.
CREATE TABLE session_types (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes BETWEEN 5 AND 720),
    capacity INTEGER NOT NULL CHECK (capacity BETWEEN 1 AND 100),
    buffer_minutes INTEGER NOT NULL DEFAULT 0 CHECK (buffer_minutes BETWEEN 0 AND 240),
    uses_credit INTEGER NOT NULL DEFAULT 1 CHECK (uses_credit IN (0, 1)),
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- A trainer's weekly hours: on `weekday` (0 = Monday), from start_minute to end_minute after local midnight.
CREATE TABLE availability_hours (
    trainer_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    weekday INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
    start_minute INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1439),
    end_minute INTEGER NOT NULL CHECK (end_minute BETWEEN 1 AND 1440),
    CHECK (start_minute < end_minute),
    PRIMARY KEY (trainer_id, weekday, start_minute)
);

-- One local day that differs from the week: `off` (the whole day when no minutes are given) or `extra` hours.
CREATE TABLE availability_exceptions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trainer_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('off', 'extra')),
    start_minute INTEGER CHECK (start_minute IS NULL OR start_minute BETWEEN 0 AND 1439),
    end_minute INTEGER CHECK (end_minute IS NULL OR end_minute BETWEEN 1 AND 1440),
    note TEXT CHECK (note IS NULL OR length(note) <= 500),
    created_at TEXT NOT NULL,
    CHECK ((start_minute IS NULL) = (end_minute IS NULL)),
    CHECK (start_minute IS NULL OR start_minute < end_minute),
    CHECK (kind = 'off' OR start_minute IS NOT NULL)
);
CREATE INDEX availability_exceptions_trainer ON availability_exceptions (trainer_id, day);

-- One client's place in one session. A group session is the appointments of one trainer, type and start.
-- `buffer_minutes` is the type's at booking time, so changing a type never moves what is booked. `sequence` counts
-- the changes a calendar must see (iCal SEQUENCE); `reminded_at` is set once, by whichever process claims it.
-- A deleted trainer's appointments stay (trainer_id NULL): they are the client's history, and a place still booked
-- keeps its credit held until staff cancel it, which gives the credit back.
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES session_types (id) ON DELETE RESTRICT,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    buffer_minutes INTEGER NOT NULL CHECK (buffer_minutes BETWEEN 0 AND 240),
    status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'cancelled', 'attended', 'no_show')),
    late_cancel INTEGER NOT NULL DEFAULT 0 CHECK (late_cancel IN (0, 1)),
    notes TEXT CHECK (notes IS NULL OR length(notes) <= 2000),
    cancel_reason TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 500),
    cancelled_at TEXT,
    cancelled_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    marked_at TEXT,
    marked_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reminded_at TEXT,
    sequence INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX appointments_trainer ON appointments (trainer_id, starts_at);
CREATE INDEX appointments_client ON appointments (client_id, starts_at);
CREATE INDEX appointments_start ON appointments (starts_at);
CREATE INDEX appointments_type ON appointments (type_id);
CREATE INDEX appointments_cancelled_by ON appointments (cancelled_by);
CREATE INDEX appointments_marked_by ON appointments (marked_by);
CREATE INDEX appointments_created_by ON appointments (created_by);
-- A client holds one place at a time at one start, whichever trainer: a double submit cannot book twice.
CREATE UNIQUE INDEX appointments_client_once ON appointments (client_id, starts_at) WHERE status <> 'cancelled';
-- The reminders' work list: booked, not yet reminded, by start.
CREATE INDEX appointments_to_remind ON appointments (starts_at) WHERE status = 'booked' AND reminded_at IS NULL;

-- Credits bought outside Elior (the note says how), for one session type, usable for sessions up to expires_on.
CREATE TABLE credit_packages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES session_types (id) ON DELETE RESTRICT,
    credits INTEGER NOT NULL CHECK (credits BETWEEN 1 AND 1000),
    expires_on TEXT,
    note TEXT CHECK (note IS NULL OR length(note) <= 1000),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX credit_packages_client ON credit_packages (client_id, type_id);
CREATE INDEX credit_packages_type ON credit_packages (type_id);
CREATE INDEX credit_packages_created_by ON credit_packages (created_by);
CREATE INDEX credit_packages_expiry ON credit_packages (expires_on);

-- Every movement of a credit, never changed once written: the sum of `delta` is the balance a client can book
-- with. grant +N (a package), hold -1 (a booking), release +1 (an early cancel), spend 0 (attended, no-show or a
-- late cancel: the held credit is used up), expire -N (what was left of a package past its date). appointment_id
-- has no foreign key: the ledger outlives what it tells of.
CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    package_id INTEGER NOT NULL REFERENCES credit_packages (id) ON DELETE CASCADE,
    type_id INTEGER NOT NULL REFERENCES session_types (id) ON DELETE RESTRICT,
    appointment_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'hold', 'release', 'spend', 'expire')),
    delta INTEGER NOT NULL,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CHECK ((kind = 'grant' AND delta > 0) OR (kind = 'hold' AND delta = -1) OR (kind = 'release' AND delta = 1)
           OR (kind = 'spend' AND delta = 0) OR (kind = 'expire' AND delta < 0)),
    CHECK ((appointment_id IS NOT NULL) = (kind IN ('hold', 'release', 'spend')))
);
CREATE INDEX credit_ledger_client ON credit_ledger (client_id, type_id, id);
CREATE INDEX credit_ledger_package ON credit_ledger (package_id);
CREATE INDEX credit_ledger_appointment ON credit_ledger (appointment_id);
CREATE INDEX credit_ledger_type ON credit_ledger (type_id);
CREATE INDEX credit_ledger_created_by ON credit_ledger (created_by);
-- An appointment holds at most one credit, and settles it once: returned or spent, never both, never twice.
CREATE UNIQUE INDEX credit_ledger_one_hold ON credit_ledger (appointment_id) WHERE kind = 'hold';
CREATE UNIQUE INDEX credit_ledger_one_settle ON credit_ledger (appointment_id) WHERE kind IN ('release', 'spend');
-- Append-only, by the database itself; the one change allowed is the author's id cleared when that account goes.
CREATE TRIGGER credit_ledger_append_only
BEFORE UPDATE OF id, client_id, package_id, type_id, appointment_id, kind, delta, created_at ON credit_ledger
BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END;
CREATE TRIGGER credit_ledger_author_only_cleared
BEFORE UPDATE OF created_by ON credit_ledger WHEN NEW.created_by IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'the credit ledger is append-only'); END;

-- Conversations (issue 16): a message thread per client with their trainer, comments on logged workouts, check-ins,
-- habits, and the kinds of notification each user has muted. Same tables, keys and checks as the PostgreSQL file of
-- this number. Every column that refers to users or files has an index, so deleting a user or a file never makes
-- SQLite read one of these tables whole to check its foreign keys.

-- One thread per client: the client and whoever is their trainer now. The row is made with the thread's first
-- message and every write to the thread takes it first, so writes to one thread commit one at a time, in id order.
CREATE TABLE conversations (
    client_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    last_message_id INTEGER,
    last_message_at TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX conversations_activity ON conversations (last_message_id);

-- A deleted message keeps its place (and id) with an empty body and `deleted_at`, so both sides see that it was.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES conversations (client_id) ON DELETE CASCADE,
    sender_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL CHECK (length(body) <= 4000),
    created_at TEXT NOT NULL,
    edited_at TEXT,
    deleted_at TEXT
);
CREATE INDEX messages_thread ON messages (client_id, id);
CREATE INDEX messages_sender ON messages (sender_id);

CREATE TABLE message_attachments (
    message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9),
    filename TEXT NOT NULL REFERENCES files (filename) ON DELETE CASCADE,
    PRIMARY KEY (message_id, position)
);
CREATE INDEX message_attachments_file ON message_attachments (filename);

-- How far each participant has read their thread: every message up to last_read_id.
CREATE TABLE conversation_reads (
    client_id INTEGER NOT NULL REFERENCES conversations (client_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    last_read_id INTEGER NOT NULL,
    read_at TEXT NOT NULL,
    PRIMARY KEY (client_id, user_id)
);
CREATE INDEX conversation_reads_user ON conversation_reads (user_id);

-- An admin reading a thread for support is recorded: who, whose thread, when (the privacy issue's access log).
CREATE TABLE message_reads_by_admin (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    admin_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    read_at TEXT NOT NULL
);
CREATE INDEX message_reads_by_admin_client ON message_reads_by_admin (client_id, read_at);
CREATE INDEX message_reads_by_admin_admin ON message_reads_by_admin (admin_id);

CREATE TABLE workout_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workout_id INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    body TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    created_at TEXT NOT NULL
);
CREATE INDEX workout_comments_workout ON workout_comments (workout_id, id);
CREATE INDEX workout_comments_client ON workout_comments (client_id);
CREATE INDEX workout_comments_author ON workout_comments (author_id);

-- A trainer's check-in form. It outlives its author (owner_id SET NULL); it cannot be deleted once used.
CREATE TABLE check_in_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX check_in_templates_owner ON check_in_templates (owner_id);

CREATE TABLE check_in_questions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id INTEGER NOT NULL REFERENCES check_in_templates (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position BETWEEN 0 AND 49),
    kind TEXT NOT NULL CHECK (kind IN ('scale', 'number', 'text', 'yes_no', 'photo')),
    prompt TEXT NOT NULL CHECK (length(prompt) BETWEEN 1 AND 500),
    unit TEXT CHECK (unit IS NULL OR length(unit) <= 20),
    UNIQUE (template_id, position)
);

-- One schedule per client: weekly on a weekday (0 = Monday) or every N days from start_date. next_due is the first
-- period start not yet announced as due: the reminder that claims it moves it on, so each is sent once;
-- due_period is the period it last announced (what the attention queue asks about).
CREATE TABLE check_in_schedules (
    client_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    template_id INTEGER NOT NULL REFERENCES check_in_templates (id) ON DELETE RESTRICT,
    cadence TEXT NOT NULL CHECK (cadence IN ('weekly', 'every_n_days')),
    weekday INTEGER CHECK (weekday IS NULL OR weekday BETWEEN 0 AND 6),
    every_days INTEGER CHECK (every_days IS NULL OR every_days BETWEEN 1 AND 365),
    start_date TEXT NOT NULL,
    next_due TEXT NOT NULL,
    due_period TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((cadence = 'weekly' AND weekday IS NOT NULL) OR (cadence = 'every_n_days' AND every_days IS NOT NULL))
);
CREATE INDEX check_in_schedules_due ON check_in_schedules (next_due);
CREATE INDEX check_in_schedules_template ON check_in_schedules (template_id);
CREATE INDEX check_in_schedules_created_by ON check_in_schedules (created_by);

-- A client's answers for one period: once per period (the UNIQUE), reviewed and replied to by the trainer.
CREATE TABLE check_ins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    template_id INTEGER NOT NULL REFERENCES check_in_templates (id) ON DELETE RESTRICT,
    period_start TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    reply TEXT CHECK (reply IS NULL OR length(reply) <= 4000),
    replied_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    replied_at TEXT,
    UNIQUE (client_id, period_start)
);
CREATE INDEX check_ins_template ON check_ins (template_id);
CREATE INDEX check_ins_replied_by ON check_ins (replied_by);

-- One answer per question: scale, number and yes/no (1 or 0) in value_number, text in value_text, a photo by name.
CREATE TABLE check_in_answers (
    check_in_id INTEGER NOT NULL REFERENCES check_ins (id) ON DELETE CASCADE,
    question_id INTEGER NOT NULL REFERENCES check_in_questions (id) ON DELETE CASCADE,
    value_number REAL,
    value_text TEXT CHECK (value_text IS NULL OR length(value_text) <= 4000),
    photo_file TEXT REFERENCES files (filename) ON DELETE SET NULL,
    PRIMARY KEY (check_in_id, question_id)
);
CREATE INDEX check_in_answers_question ON check_in_answers (question_id);
CREATE INDEX check_in_answers_photo ON check_in_answers (photo_file);

-- A habit: daily, or N times a week, with an optional target ("8000 steps"); ticked at most once a day.
CREATE TABLE habits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    cadence TEXT NOT NULL CHECK (cadence IN ('daily', 'weekly')),
    times_per_week INTEGER NOT NULL CHECK (times_per_week BETWEEN 1 AND 7),
    target_value REAL CHECK (target_value IS NULL OR target_value > 0),
    target_unit TEXT CHECK (target_unit IS NULL OR length(target_unit) <= 20),
    start_date TEXT NOT NULL,
    archived_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (cadence = 'weekly' OR times_per_week = 7)
);
CREATE INDEX habits_client ON habits (client_id, id);
CREATE INDEX habits_created_by ON habits (created_by);

CREATE TABLE habit_ticks (
    habit_id INTEGER NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    value REAL CHECK (value IS NULL OR value >= 0),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (habit_id, day)
);

-- The notification kinds (message, comment, check_in, habit, workout, ...) a user does not want to be told about.
CREATE TABLE notification_mutes (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

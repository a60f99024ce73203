-- Programs (issue 15): a trainer's reusable plan of weeks x 7 days, each day holding workout templates whose
-- exercise lines carry what real programming needs; assigning one to a client writes that client's workouts.
CREATE TABLE programs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description TEXT,
    weeks INTEGER NOT NULL CHECK (weeks BETWEEN 1 AND 52),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX programs_owner ON programs (owner_id, id);

-- One workout of the plan: on day 1-7 of a week, `position` ordering the day's workouts.
CREATE TABLE program_workouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    week INTEGER NOT NULL CHECK (week BETWEEN 1 AND 52),
    day INTEGER NOT NULL CHECK (day BETWEEN 1 AND 7),
    position INTEGER NOT NULL CHECK (position >= 1),
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes TEXT,
    UNIQUE (program_id, week, day, position)
);

-- An exercise line of a template: the fields of workout_exercises, plus a weekly progression applied at assign time.
CREATE TABLE program_lines (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    template_id INTEGER NOT NULL REFERENCES program_workouts (id) ON DELETE CASCADE,
    exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE RESTRICT,
    position INTEGER NOT NULL CHECK (position >= 1),
    sets INTEGER NOT NULL CHECK (sets BETWEEN 1 AND 100),
    reps INTEGER CHECK (reps IS NULL OR reps BETWEEN 0 AND 1000),
    reps_min INTEGER CHECK (reps_min IS NULL OR reps_min BETWEEN 0 AND 1000),
    reps_max INTEGER CHECK (reps_max IS NULL OR reps_max BETWEEN 0 AND 1000),
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg BETWEEN 0 AND 1000),
    rpe REAL CHECK (rpe IS NULL OR rpe BETWEEN 1 AND 10),
    rir INTEGER CHECK (rir IS NULL OR rir BETWEEN 0 AND 10),
    rest_seconds INTEGER CHECK (rest_seconds IS NULL OR rest_seconds BETWEEN 0 AND 3600),
    tempo TEXT CHECK (tempo IS NULL OR length(tempo) <= 20),
    set_type TEXT NOT NULL DEFAULT 'normal' CHECK (set_type IN ('normal', 'warmup', 'drop', 'amrap')),
    superset_group TEXT CHECK (superset_group IS NULL OR length(superset_group) <= 10),
    duration_seconds INTEGER CHECK (duration_seconds IS NULL OR duration_seconds BETWEEN 0 AND 86400),
    distance_m REAL CHECK (distance_m IS NULL OR distance_m BETWEEN 0 AND 1000000),
    notes TEXT,
    progression_kg REAL CHECK (progression_kg IS NULL OR progression_kg BETWEEN -100 AND 100),
    progression_pct REAL CHECK (progression_pct IS NULL OR progression_pct BETWEEN -50 AND 50),
    CHECK (progression_kg IS NULL OR progression_pct IS NULL),
    UNIQUE (template_id, position)
);
CREATE INDEX program_lines_exercise ON program_lines (exercise_id);

-- A program given to a client from a start date. `ended_at` is set when it is un-assigned or replaced by a new
-- assignment of the same program; the row stays, so the workouts already done still name where they came from.
CREATE TABLE program_assignments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    program_id INTEGER NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    assigned_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    start_date TEXT NOT NULL,
    created_at TEXT NOT NULL,
    ended_at TEXT
);
CREATE INDEX program_assignments_program ON program_assignments (program_id, client_id);
-- One active assignment of a program per client: a second assign of it replaces the first (elior.programs.assign),
-- and two made at once cannot both stand.
CREATE UNIQUE INDEX program_assignments_active ON program_assignments (program_id, client_id) WHERE ended_at IS NULL;
CREATE INDEX program_assignments_client ON program_assignments (client_id);

-- A scheduled workout remembers the program, assignment, week and day it was made from (NULL for one made by hand).
-- template_id names the program_workouts row it was copied from, only while assigning: no foreign key, because a
-- template may be edited or removed afterwards while the client's workout stays as it was made.
ALTER TABLE workouts ADD COLUMN program_id INTEGER REFERENCES programs (id) ON DELETE SET NULL;
ALTER TABLE workouts ADD COLUMN assignment_id INTEGER REFERENCES program_assignments (id) ON DELETE SET NULL;
ALTER TABLE workouts ADD COLUMN week INTEGER CHECK (week IS NULL OR week BETWEEN 1 AND 52);
ALTER TABLE workouts ADD COLUMN day INTEGER CHECK (day IS NULL OR day BETWEEN 1 AND 7);
ALTER TABLE workouts ADD COLUMN template_id INTEGER;
-- Partial: most workouts may be made by hand (NULL here), and statistics over those would make the planner think
-- the index useless for the assignment's own few rows.
CREATE INDEX workouts_assignment ON workouts (assignment_id, scheduled_for) WHERE assignment_id IS NOT NULL;
CREATE INDEX workouts_program ON workouts (program_id) WHERE program_id IS NOT NULL;

-- The exercise-line fields of real programming, on the workouts themselves too.
ALTER TABLE workout_exercises ADD COLUMN reps_min INTEGER CHECK (reps_min IS NULL OR reps_min BETWEEN 0 AND 1000);
ALTER TABLE workout_exercises ADD COLUMN reps_max INTEGER CHECK (reps_max IS NULL OR reps_max BETWEEN 0 AND 1000);
ALTER TABLE workout_exercises ADD COLUMN rpe REAL CHECK (rpe IS NULL OR rpe BETWEEN 1 AND 10);
ALTER TABLE workout_exercises ADD COLUMN rir INTEGER CHECK (rir IS NULL OR rir BETWEEN 0 AND 10);
ALTER TABLE workout_exercises ADD COLUMN tempo TEXT CHECK (tempo IS NULL OR length(tempo) <= 20);
ALTER TABLE workout_exercises ADD COLUMN set_type TEXT NOT NULL DEFAULT 'normal'
    CHECK (set_type IN ('normal', 'warmup', 'drop', 'amrap'));
ALTER TABLE workout_exercises ADD COLUMN superset_group TEXT
    CHECK (superset_group IS NULL OR length(superset_group) <= 10);
ALTER TABLE workout_exercises ADD COLUMN duration_seconds INTEGER
    CHECK (duration_seconds IS NULL OR duration_seconds BETWEEN 0 AND 86400);
ALTER TABLE workout_exercises ADD COLUMN distance_m REAL
    CHECK (distance_m IS NULL OR distance_m BETWEEN 0 AND 1000000);

-- The iCal feed of a user's calendar: one token a user, stored hashed, rotated by making a new one.
CREATE TABLE calendar_feeds (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

-- The attention queue's figures, kept per client (elior.programs.attention): a row is good for its `as_of` day while
-- its `version` is the client's version in attention_versions, which the triggers below raise on every change to
-- the client's workouts, logs, meal entries and weigh-ins (in any process: they live in the database). No foreign
-- key on attention_versions: a user's deletion cascades to their workouts, whose triggers still write here.
CREATE TABLE attention_versions (
    client_id INTEGER PRIMARY KEY,
    version INTEGER NOT NULL
);
CREATE TABLE attention_cache (
    client_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    due_7 INTEGER NOT NULL,
    completed_7 INTEGER NOT NULL,
    due_previous_7 INTEGER NOT NULL,
    completed_previous_7 INTEGER NOT NULL,
    due_30 INTEGER NOT NULL,
    completed_30 INTEGER NOT NULL,
    due_90 INTEGER NOT NULL,
    completed_90 INTEGER NOT NULL,
    last_logged_at TEXT,
    pending_reviews INTEGER NOT NULL,
    last_weigh_in TEXT,
    upcoming INTEGER NOT NULL
);
-- Each statement of a trigger's body ends its line with `; --`: the migration runner ends a statement at a line that
-- ends with `;` (elior.db.database.split_statements), which must be the trigger's END only.
CREATE TRIGGER workouts_attention_insert AFTER INSERT ON workouts BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER workouts_attention_update AFTER UPDATE ON workouts BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER workouts_attention_delete AFTER DELETE ON workouts BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER workout_logs_attention_insert AFTER INSERT ON workout_logs BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER workout_logs_attention_update AFTER UPDATE ON workout_logs BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER workout_logs_attention_delete AFTER DELETE ON workout_logs BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER meal_entries_attention_insert AFTER INSERT ON meal_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER meal_entries_attention_update AFTER UPDATE ON meal_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER meal_entries_attention_delete AFTER DELETE ON meal_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER progress_entries_attention_insert AFTER INSERT ON progress_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER progress_entries_attention_update AFTER UPDATE ON progress_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
    INSERT INTO attention_versions (client_id, version) VALUES (NEW.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;
CREATE TRIGGER progress_entries_attention_delete AFTER DELETE ON progress_entries BEGIN
    INSERT INTO attention_versions (client_id, version) VALUES (OLD.client_id, 1)
    ON CONFLICT (client_id) DO UPDATE SET version = version + 1; --
END;

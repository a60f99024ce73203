-- The whole contract's schema. Times are ISO 8601 text in UTC ("2026-11-27T10:00:00Z"), dates "YYYY-MM-DD".
-- AUTOINCREMENT so that an id is never handed out twice, even after the newest row is deleted.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    password_hash TEXT NOT NULL,
    full_name TEXT NOT NULL CHECK (length(full_name) <= 200),
    role TEXT NOT NULL CHECK (role IN ('admin', 'trainer', 'client')),
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (trainer_id IS NULL OR role = 'client')
);
CREATE INDEX users_trainer ON users (trainer_id);
CREATE INDEX users_role ON users (role);

CREATE TABLE profiles (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    phone TEXT,
    date_of_birth TEXT,
    height_cm REAL CHECK (height_cm IS NULL OR height_cm BETWEEN 50 AND 300),
    goals TEXT,
    medical_notes TEXT
);

-- A login is one refresh-token family (RFC 9700): revoking it ends its access tokens (their `sid`) and refreshes.
CREATE TABLE logins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    user_agent TEXT,
    address TEXT
);
CREATE INDEX logins_user ON logins (user_id);

CREATE TABLE refresh_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login_id INTEGER NOT NULL REFERENCES logins (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    rotated_at TEXT
);
CREATE INDEX refresh_tokens_login ON refresh_tokens (login_id);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    address TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures (email, created_at);
CREATE INDEX login_failures_address ON login_failures (address, created_at);

CREATE TABLE invites (
    code TEXT PRIMARY KEY,
    role TEXT NOT NULL CHECK (role IN ('trainer', 'client')),
    email TEXT,
    trainer_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    created_by INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invites_created_by ON invites (created_by);

CREATE TABLE exercises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description TEXT,
    muscle_group TEXT,
    equipment TEXT,
    instructions TEXT,
    video_url TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX exercises_name ON exercises (lower(name));
CREATE INDEX exercises_muscle_group ON exercises (muscle_group);
CREATE INDEX exercises_created_by ON exercises (created_by);

CREATE TABLE workouts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes TEXT,
    scheduled_for TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'completed', 'skipped')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    completed_at TEXT
);
CREATE INDEX workouts_client ON workouts (client_id, scheduled_for);
CREATE INDEX workouts_trainer ON workouts (trainer_id, scheduled_for);

CREATE TABLE workout_exercises (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workout_id INTEGER NOT NULL REFERENCES workouts (id) ON DELETE CASCADE,
    exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE RESTRICT,
    position INTEGER NOT NULL CHECK (position >= 0),
    sets INTEGER NOT NULL CHECK (sets BETWEEN 1 AND 100),
    reps INTEGER CHECK (reps IS NULL OR reps BETWEEN 0 AND 1000),
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg BETWEEN 0 AND 1000),
    rest_seconds INTEGER CHECK (rest_seconds IS NULL OR rest_seconds BETWEEN 0 AND 3600),
    notes TEXT,
    UNIQUE (workout_id, position)
);
CREATE INDEX workout_exercises_exercise ON workout_exercises (exercise_id);

CREATE TABLE workout_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    workout_id INTEGER NOT NULL UNIQUE REFERENCES workouts (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    logged_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    performed_at TEXT NOT NULL,
    duration_minutes INTEGER CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440),
    rating INTEGER CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
    notes TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX workout_logs_client ON workout_logs (client_id, performed_at);

-- What was done, beside what was prescribed for that exercise in the workout (copied at log time).
CREATE TABLE set_logs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    log_id INTEGER NOT NULL REFERENCES workout_logs (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    exercise_id INTEGER NOT NULL REFERENCES exercises (id) ON DELETE RESTRICT,
    set_number INTEGER NOT NULL CHECK (set_number BETWEEN 1 AND 100),
    reps INTEGER NOT NULL CHECK (reps BETWEEN 0 AND 1000),
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg BETWEEN 0 AND 1000),
    rpe REAL CHECK (rpe IS NULL OR rpe BETWEEN 1 AND 10),
    prescribed_reps INTEGER,
    prescribed_weight_kg REAL
);
CREATE INDEX set_logs_log ON set_logs (log_id);
CREATE INDEX set_logs_client_exercise ON set_logs (client_id, exercise_id, log_id);
CREATE INDEX set_logs_exercise ON set_logs (exercise_id);

CREATE TABLE meal_plans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    trainer_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    notes TEXT,
    start_date TEXT NOT NULL,
    end_date TEXT,
    target_kcal REAL CHECK (target_kcal IS NULL OR target_kcal BETWEEN 0 AND 20000),
    target_protein_g REAL CHECK (target_protein_g IS NULL OR target_protein_g BETWEEN 0 AND 2000),
    target_carbs_g REAL CHECK (target_carbs_g IS NULL OR target_carbs_g BETWEEN 0 AND 2000),
    target_fat_g REAL CHECK (target_fat_g IS NULL OR target_fat_g BETWEEN 0 AND 2000),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX meal_plans_client ON meal_plans (client_id, start_date);
CREATE INDEX meal_plans_trainer ON meal_plans (trainer_id);

CREATE TABLE meals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES meal_plans (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    time TEXT,
    position INTEGER NOT NULL CHECK (position >= 0),
    UNIQUE (plan_id, position)
);

CREATE TABLE meal_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meal_id INTEGER NOT NULL REFERENCES meals (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    food TEXT NOT NULL,
    quantity_g REAL NOT NULL CHECK (quantity_g BETWEEN 0 AND 10000),
    kcal REAL NOT NULL CHECK (kcal BETWEEN 0 AND 20000),
    protein_g REAL NOT NULL CHECK (protein_g BETWEEN 0 AND 2000),
    carbs_g REAL NOT NULL CHECK (carbs_g BETWEEN 0 AND 2000),
    fat_g REAL NOT NULL CHECK (fat_g BETWEEN 0 AND 2000)
);
CREATE INDEX meal_items_meal ON meal_items (meal_id, position);

CREATE TABLE files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    filename TEXT NOT NULL UNIQUE,
    owner_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id INTEGER REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL CHECK (purpose IN ('progress_photo', 'meal_photo', 'avatar', 'document')),
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size >= 0),
    sha256 TEXT NOT NULL,
    encrypted INTEGER NOT NULL DEFAULT 0 CHECK (encrypted IN (0, 1)),
    created_at TEXT NOT NULL
);
CREATE INDEX files_owner ON files (owner_id);
CREATE INDEX files_client ON files (client_id, purpose);

CREATE TABLE meal_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id INTEGER NOT NULL REFERENCES meal_plans (id) ON DELETE CASCADE,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    meal_name TEXT NOT NULL,
    description TEXT,
    photo_file TEXT REFERENCES files (filename) ON DELETE SET NULL,
    kcal REAL CHECK (kcal IS NULL OR kcal BETWEEN 0 AND 20000),
    protein_g REAL CHECK (protein_g IS NULL OR protein_g BETWEEN 0 AND 2000),
    carbs_g REAL CHECK (carbs_g IS NULL OR carbs_g BETWEEN 0 AND 2000),
    fat_g REAL CHECK (fat_g IS NULL OR fat_g BETWEEN 0 AND 2000),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    review_comment TEXT,
    reviewed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    reviewed_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX meal_entries_plan ON meal_entries (plan_id, date);
CREATE INDEX meal_entries_client ON meal_entries (client_id, status);

CREATE TABLE progress_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    date TEXT NOT NULL,
    weight_kg REAL CHECK (weight_kg IS NULL OR weight_kg BETWEEN 20 AND 400),
    body_fat_pct REAL CHECK (body_fat_pct IS NULL OR body_fat_pct BETWEEN 2 AND 75),
    chest_cm REAL CHECK (chest_cm IS NULL OR chest_cm BETWEEN 10 AND 300),
    waist_cm REAL CHECK (waist_cm IS NULL OR waist_cm BETWEEN 10 AND 300),
    hips_cm REAL CHECK (hips_cm IS NULL OR hips_cm BETWEEN 10 AND 300),
    arm_cm REAL CHECK (arm_cm IS NULL OR arm_cm BETWEEN 5 AND 150),
    thigh_cm REAL CHECK (thigh_cm IS NULL OR thigh_cm BETWEEN 5 AND 200),
    notes TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (client_id, date)
);

CREATE TABLE progress_photos (
    entry_id INTEGER NOT NULL REFERENCES progress_entries (id) ON DELETE CASCADE,
    filename TEXT NOT NULL REFERENCES files (filename) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (entry_id, position)
);
CREATE INDEX progress_photos_file ON progress_photos (filename);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    data TEXT NOT NULL,
    created_at TEXT NOT NULL,
    read_at TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);

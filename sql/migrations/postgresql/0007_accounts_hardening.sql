-- Accounts hardening (issue 14): the same tables, keys and checks as the SQLite migration of the same number.

-- The first-start setup token: random, kept only as its SHA-256, single use, expiring. Each start with no admin
-- deletes the rows and writes a new one, so only the link in the latest start's log works.
CREATE TABLE setup_tokens (
    token_hash TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);

-- An invite is void once its maker may no longer make it (demoted, promoted or deactivated): set in the same
-- transaction as that change of the user, and checked again when the invite is claimed.
ALTER TABLE invites ADD COLUMN voided_at TIMESTAMPTZ;
-- Voiding finds the open invites that assign clients to a trainer, and deleting a user checks this foreign key.
CREATE INDEX invites_trainer ON invites (trainer_id);

-- Emails are compared normalised (NFKC, then case-folded: elior/web/fields.py). SQL cannot run NFKC; lower() is the
-- part it can, and the first start rewrites what is left (elior/accounts/bootstrap.py).
UPDATE users SET email = lower(email) WHERE email <> lower(email);
UPDATE invites SET email = lower(email) WHERE email <> lower(email);

-- Deleting a file sets meal_entries.photo_file to NULL through this foreign key: without an index, a scan.
CREATE INDEX meal_entries_photo ON meal_entries (photo_file);

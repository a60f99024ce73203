"""The one map of a client's data (issue 18): every table an export writes, in the order an import must load it.

Export (elior/exports/writer.py) and import (elior/exports/importer.py) both read this module and nothing else for
that fact, and tests/exports/test_tables.py fails when a migration adds a table with a `client_id` or `user_id`
column that is neither in TABLES nor in LEFT_OUT, so a new domain cannot silently be missing from exports.

For each table:
- `key`: the primary key columns. `generated`: the key is an AUTOINCREMENT `id` that an import hands out anew and
  remembers in its id map (otherwise the key is made of foreign keys, rewritten through the map like the others).
- `owner`: the columns that hold the client's own id on a row of theirs (a row is the client's when any of them
  does: files are theirs when they uploaded them or when they are about them). Empty for a row that is the client's
  through its parent (`parent`), and for a row exported only because the client's rows point at it (`referenced`).
- `parent`: (column, table) for a row that belongs to the client through a row of `table` (a meal through its plan).
- `foreign`: column -> "table" (that table's generated id) or "table.column" (another unique column: files are
  referred to by `files.filename`). Every foreign key of the table is listed, the parent's too.
  A reference to `users` that is not the client's own id points at someone outside the export (their trainer, an
  admin, whoever logged or reviewed): an import maps it to the trainer it is given or to NULL; it never creates users.
- `loose`: column -> table for ids kept without a foreign key (the ledger's appointment_id, a workout's template_id,
  a thread's last_message_id): mapped when the row it names was exported, else set to NULL.
- `referenced`: rows exported because exported rows name them (the programs assigned, the exercises of the workouts,
  the check-in templates answered, the session types booked); an import may create them anew for its client.
- `omit`: columns never exported (secrets). SECRET_COLUMNS applies to every table besides, as a safety net.
- `order`: the ORDER BY of the export's pages, the key.

The archive's rows are the stored rows as they are (original ids), minus the omitted columns, in JSON the same on
both databases (elior/exports/values.py): times as ISO 8601 UTC text with a `Z`, dates "YYYY-MM-DD", flags 0/1 as
SQLite stores them, numbers as numbers. FORMAT_VERSION is the
archive's `schema_version`: bump it when a change here would make an older importer misread an archive.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

FORMAT_VERSION = 1

# Names of columns that hold secrets, whatever their table: never exported, even if a table here forgets them.
SECRET_COLUMNS = re.compile(r"(password|secret|token|recovery|totp|_hash$)")


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...] = ("id",)
    generated: bool = True
    owner: tuple[str, ...] = ()
    parent: tuple[str, str] | None = None
    foreign: dict[str, str] = field(default_factory=dict)
    loose: dict[str, str] = field(default_factory=dict)
    referenced: bool = False
    omit: tuple[str, ...] = ()

    def exported(self, column: str) -> bool:
        """Whether a column of this table goes into an archive."""
        return column not in self.omit and not SECRET_COLUMNS.search(column)


TABLES: tuple[Table, ...] = (
    # --- the client ---
    Table("users", owner=("id",), foreign={"trainer_id": "users"}, omit=("password_hash",)),
    Table("profiles", key=("user_id",), generated=False, owner=("user_id",), foreign={"user_id": "users"}),
    # --- what the client's rows point at (studio library, templates, programs) ---
    Table("exercises", referenced=True, foreign={"created_by": "users"}),
    Table("session_types", referenced=True),
    Table("programs", referenced=True, foreign={"owner_id": "users"}),
    Table("program_workouts", parent=("program_id", "programs"), referenced=True,
          foreign={"program_id": "programs"}),
    Table("program_lines", parent=("template_id", "program_workouts"), referenced=True,
          foreign={"template_id": "program_workouts", "exercise_id": "exercises"}),
    Table("check_in_templates", referenced=True, foreign={"owner_id": "users"}),
    Table("check_in_questions", parent=("template_id", "check_in_templates"), referenced=True,
          foreign={"template_id": "check_in_templates"}),
    # --- files (before every row that names one by filename) ---
    Table("files", owner=("client_id", "owner_id"), foreign={"owner_id": "users", "client_id": "users"}),
    # --- training ---
    Table("program_assignments", owner=("client_id",),
          foreign={"program_id": "programs", "client_id": "users", "assigned_by": "users"}),
    Table("workouts", owner=("client_id",),
          foreign={"client_id": "users", "trainer_id": "users", "program_id": "programs",
                   "assignment_id": "program_assignments"},
          loose={"template_id": "program_workouts"}),
    Table("workout_exercises", parent=("workout_id", "workouts"),
          foreign={"workout_id": "workouts", "exercise_id": "exercises"}),
    Table("workout_logs", owner=("client_id",),
          foreign={"workout_id": "workouts", "client_id": "users", "logged_by": "users"}),
    Table("set_logs", owner=("client_id",),
          foreign={"log_id": "workout_logs", "client_id": "users", "exercise_id": "exercises"}),
    Table("workout_comments", owner=("client_id",),
          foreign={"workout_id": "workouts", "client_id": "users", "author_id": "users"}),
    # --- nutrition ---
    Table("meal_plans", owner=("client_id",), foreign={"client_id": "users", "trainer_id": "users"}),
    Table("meals", parent=("plan_id", "meal_plans"), foreign={"plan_id": "meal_plans"}),
    Table("meal_items", parent=("meal_id", "meals"), foreign={"meal_id": "meals"}),
    Table("meal_entries", owner=("client_id",),
          foreign={"plan_id": "meal_plans", "client_id": "users", "photo_file": "files.filename",
                   "reviewed_by": "users"}),
    # --- progress ---
    Table("progress_entries", owner=("client_id",), foreign={"client_id": "users", "created_by": "users"}),
    Table("progress_photos", key=("entry_id", "position"), generated=False, parent=("entry_id", "progress_entries"),
          foreign={"entry_id": "progress_entries", "filename": "files.filename"}),
    # --- conversations ---
    Table("conversations", key=("client_id",), generated=False, owner=("client_id",),
          foreign={"client_id": "users"}, loose={"last_message_id": "messages"}),
    Table("messages", owner=("client_id",), foreign={"client_id": "users", "sender_id": "users"}),
    Table("message_attachments", key=("message_id", "position"), generated=False, parent=("message_id", "messages"),
          foreign={"message_id": "messages", "filename": "files.filename"}),
    Table("conversation_reads", key=("client_id", "user_id"), generated=False, owner=("client_id",),
          foreign={"client_id": "users", "user_id": "users"}, loose={"last_read_id": "messages"}),
    Table("check_in_schedules", key=("client_id",), generated=False, owner=("client_id",),
          foreign={"client_id": "users", "template_id": "check_in_templates", "created_by": "users"}),
    Table("check_ins", owner=("client_id",),
          foreign={"client_id": "users", "template_id": "check_in_templates", "replied_by": "users"}),
    Table("check_in_answers", key=("check_in_id", "question_id"), generated=False, parent=("check_in_id", "check_ins"),
          foreign={"check_in_id": "check_ins", "question_id": "check_in_questions", "photo_file": "files.filename"}),
    Table("habits", owner=("client_id",), foreign={"client_id": "users", "created_by": "users"}),
    Table("habit_ticks", key=("habit_id", "day"), generated=False, parent=("habit_id", "habits"),
          foreign={"habit_id": "habits"}),
    # --- notifications ---
    Table("notifications", owner=("user_id",), foreign={"user_id": "users"}),
    Table("notification_mutes", key=("user_id", "kind"), generated=False, owner=("user_id",),
          foreign={"user_id": "users"}),
    Table("notification_preferences", key=("user_id", "kind"), generated=False, owner=("user_id",),
          foreign={"user_id": "users"}),
    # --- bookings ---
    Table("appointments", owner=("client_id",),
          foreign={"trainer_id": "users", "client_id": "users", "type_id": "session_types", "cancelled_by": "users",
                   "marked_by": "users", "created_by": "users"}),
    Table("credit_packages", owner=("client_id",),
          foreign={"client_id": "users", "type_id": "session_types", "created_by": "users"}),
    Table("credit_ledger", owner=("client_id",),
          foreign={"client_id": "users", "package_id": "credit_packages", "type_id": "session_types",
                   "created_by": "users"},
          loose={"appointment_id": "appointments"}),
)

# Tables with a client_id or user_id column that an export leaves out on purpose, and why.
LEFT_OUT: dict[str, str] = {
    "logins": "sign-in sessions of this server (addresses, agents): security state, ended by moving servers",
    "calendar_feeds": "a secret feed token (hashed): a new server issues a new one",
    "attention_versions": "a cache's version counter, derived from the exported rows",
    "attention_cache": "the attention queue's cached figures, derived from the exported rows",
    "message_reads_by_admin": "this server's record of who read the thread (the access log), not data to carry",
    "exports": "the export jobs themselves (elior/exports)",
    "password_resets": "single-use reset links (hashed): credentials of this server",
    "two_factor": "the TOTP secret: a credential; the client enrols again on the new server",
    "two_factor_recovery_codes": "recovery codes (hashed): credentials of this server",
    "notification_digests": "the daily digest job's bookmark on this server",
    "access_log": "this server's record of who read the client's data (GET /api/clients/{id}/access-log shows it); "
                  "carried elsewhere it would tell of reads that server never saw",
    "deletion_requests": "this server's workflow of an account's deletion",
}

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def order_by(table: Table) -> str:
    """The key as an ORDER BY list (the export's pages and the round-trip comparison both use it)."""
    return ", ".join(table.key)

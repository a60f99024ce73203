"""Loading an export archive into this server (issue 18): every row anew, every id rewritten, all or nothing.

`import_archive()` is the command line's (`python -m elior import FILE.zip [--trainer EMAIL]`) and the admin
endpoint's (elior/exports/import_routes.py). In order, and nothing written until the last step:
1. the archive is opened and checked as untrusted bytes (elior/exports/import_archive.py: bounds, the manifest's
   checksums, the schema version), and its client's email must be free here (else 409);
2. its files are staged: checked against their rows, rewritten and sealed for this server, under new names, in
   temp files (elior/exports/import_files.py); the CSV entries are checksummed too (the rows come from data.json);
3. one transaction inserts the rows table by table in the order of elior/exports/tables.py, each row without its
   old id: the new id goes into the id map, and every foreign key is rewritten through it. A reference to a user
   is the new client when it was the client, the trainer given when it was their trainer, else NULL (an import
   never creates or guesses other people); the few columns that must name someone (a program's or a file's owner)
   get the trainer, else the admin importing. A row keyed by someone left out (their trainer's read marker, with
   no trainer given) is dropped. Exercises and session types the studio already has (same name; same type) are
   reused rather than copied. Last, just before the commit, the staged files are renamed to their names.
Any failure rolls the transaction back and removes every file staged or published: the server is as it was.
"""
from __future__ import annotations

import logging
import re
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio

from elior.exports.import_archive import Archive, Limits, Refused, check_kinds, open_archive
from elior.exports.import_files import Staging, stage
from elior.exports.tables import TABLES, Table

try:
    import asyncpg
    REJECTED_BY_POSTGRES: tuple[type[BaseException], ...] = (asyncpg.IntegrityConstraintViolationError,
                                                             asyncpg.DataError)
except ImportError:  # pragma: no cover - SQLite-only installs
    REJECTED_BY_POSTGRES = ()

# What the database says of a row that does not fit (a CHECK, NOT NULL, a UNIQUE, a number out of range, a date
# PostgreSQL cannot read): the archive's fault, a 422. asyncpg's own "invalid input for query argument" is a
# ValueError; SQLite's integer past 64 bits an OverflowError. Faults of the machine (a full disk, a lost connection)
# are not caught here and answer as themselves (elior/web/errors.py).
REJECTED = (sqlite3.IntegrityError, OverflowError, ValueError, *REJECTED_BY_POSTGRES)
log = logging.getLogger("elior.exports")
PARAM = re.compile(r"(?<![:\w]):([a-z_][a-z0-9_]*)")
# References to a user that may not be NULL and are not the client's own: given the trainer, else the admin importing.
NEEDS_OWNER = {("files", "owner_id"), ("programs", "owner_id")}
# Library rows a studio shares between clients: reused when this studio has the same one (sql/exports/import/match_*).
MATCHED = ("exercises", "session_types")
# A file whose bytes the exporting server had lost (manifest.json's missing_files) is not imported: the rows that
# exist only to show it go too, the others keep their place without it (photo_file NULL).
NEEDS_FILE = {("progress_photos", "filename"), ("message_attachments", "filename")}


def _params(sql: str) -> list[str]:
    """The named parameters of a statement, in order, once each (comment lines skipped)."""
    code = "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--"))
    return list(dict.fromkeys(PARAM.findall(code)))


@dataclass
class People:
    """Who the archive's user ids become here."""

    old_client: int
    old_trainer: int | None
    new_trainer: int | None
    owner: int | None  # for NEEDS_OWNER columns that name someone other than the client
    new_client: int | None = None


@dataclass
class Result:
    client_id: int
    counts: dict[str, int]  # rows inserted per table
    reused: dict[str, int]  # library rows of this studio the client's rows now point at, per table
    ids: dict[str, dict[Any, Any]] = field(default_factory=dict)  # table -> {archive's key: this server's}


class Loader:
    """Inserts an archive's rows table by table, inside the caller's transaction, keeping the id map."""

    def __init__(self, db: Any, people: People, staging: Staging, password_hash: str,
                 missing: frozenset[str] = frozenset()) -> None:
        self.db, self.people, self.staging, self.password_hash = db, people, staging, password_hash
        self.missing = missing
        self.ids: dict[str, dict[Any, Any]] = {table.name: {} for table in TABLES}
        self.ids["files.filename"] = {}
        if people.old_trainer is not None and people.new_trainer is not None:
            self.ids["users"][people.old_trainer] = people.new_trainer  # for the caller's map; `user()` decides
        self.counts = {table.name: 0 for table in TABLES}
        self.reused = {name: 0 for name in MATCHED}
        self.later: list[tuple[Table, str, str, dict[str, Any], Any]] = []
        self.position = {table.name: index for index, table in enumerate(TABLES)}

    def user(self, value: Any) -> Any:
        people = self.people
        if value is None:
            return None
        if value == people.old_client:
            return people.new_client
        if people.old_trainer is not None and value == people.old_trainer:
            return people.new_trainer
        return None

    def reference(self, target: str, value: Any) -> Any:
        if value is None:
            return None
        if target == "users":
            return self.user(value)
        return self.ids[target].get(value) if isinstance(value, (int, str)) else None

    def _values(self, table: Table, params: list[str], row: dict[str, Any], at: str) -> dict[str, Any] | None:
        """The row's values for its INSERT, ids rewritten; None when the row must be dropped."""
        unknown = set(row) - set(params) - set(table.key)
        if unknown:
            raise Refused(f"{at} has a column this server does not have: {sorted(unknown)[0][:64]!r}")
        values = {name: row.get(name) for name in params}
        for column, target in table.foreign.items():
            old = row.get(column)
            new = self.reference(target, old)
            if new is None and old is not None:
                if target == "files.filename" and old in self.missing:
                    if (table.name, column) in NEEDS_FILE:
                        return None
                elif target != "users":
                    raise Refused(f"{at} names {target} {str(old)[:64]!r}, which the archive does not hold")
                if column in table.key:
                    return None  # a row of someone outside the import (their read marker, their mute)
                if (table.name, column) in NEEDS_OWNER:
                    new = self.people.owner
                    if new is None:
                        raise Refused(f"{at} needs an owner here: name a trainer, or create an admin first")
            values[column] = new
        for column, target in table.loose.items():
            old = row.get(column)
            if self.position[target] > self.position[table.name]:
                values[column] = None  # that row is not loaded yet: set after the last table (`finish`)
                if old is not None:
                    keys = {key: values[key] for key in table.key}
                    self.later.append((table, column, target, keys, old))
            else:
                values[column] = self.reference(target, old)
        if table.name == "users":
            if row.get("id") != self.people.old_client or row.get("role") != "client":
                raise Refused("data.json's users must be the one client the archive is of")
            values["password_hash"] = self.password_hash  # none travels: the client sets a new one (password reset)
        if table.name == "files":
            if row.get("filename") in self.missing:
                return None
            staged = self.staging.files[row["id"]]
            values.update(filename=staged.new_name, size=staged.prepared.size, sha256=staged.prepared.sha256,
                          encrypted=int(staged.prepared.encrypted))
        return values

    async def load(self, table: Table, rows: list[dict[str, Any]]) -> None:
        name = f"exports.import.insert_{table.name}"
        params = _params(self.db.sql(name))
        types = {row["name"]: str(row["type"]).lower()
                 for row in await self.db.fetch_all("exports.import.columns", table=table.name)} if rows else {}
        for index, row in enumerate(rows):
            at = f"data.json's {table.name}[{index}]"
            check_kinds(types, row, at)
            old_id = row.get("id")
            if table.generated and (not isinstance(old_id, int) or isinstance(old_id, bool)
                                    or old_id in self.ids[table.name]):
                raise Refused(f"{at} needs an integer id of its own")
            values = self._values(table, params, row, at)
            if values is None:
                continue
            try:
                if table.name in MATCHED:
                    match = f"exports.import.match_{table.name}"
                    wanted = {key: values[key] for key in _params(self.db.sql(match))}
                    found = await self.db.fetch_val(match, **wanted)
                    if found is not None:
                        self.ids[table.name][old_id] = found
                        self.reused[table.name] += 1
                        continue
                if table.generated:
                    new_id = await self.db.fetch_val(name, **values)
                    self.ids[table.name][old_id] = new_id
                    if table.name == "users":
                        self.people.new_client = new_id
                    if table.name == "files":
                        self.ids["files.filename"][row.get("filename")] = values["filename"]
                else:
                    await self.db.execute(name, **values)
            except REJECTED as error:
                status = 409 if table.name == "users" and "nique" in str(error) else 422
                raise Refused(f"{at} does not fit this server's database ({type(error).__name__})", status) \
                    from None
            self.counts[table.name] += 1

    async def finish(self) -> None:
        """The references to rows loaded after their own (a thread's last message), now that those exist."""
        for table, column, target, keys, old in self.later:
            new = self.ids[target].get(old) if isinstance(old, (int, str)) else None
            if new is not None:
                await self.db.execute(f"exports.import.later_{table.name}_{column}", **keys, **{column: new})


def _client(archive: Archive) -> dict[str, Any]:
    users = archive.data["tables"].get("users") or []
    client_id = archive.data["client_id"]
    if len(users) != 1 or users[0].get("id") != client_id or users[0].get("role") != "client":
        raise Refused("data.json's users must be exactly the client the archive is of (client_id)")
    if not isinstance(users[0].get("email"), str):
        raise Refused("data.json's client has no email")
    return users[0]  # type: ignore[no-any-return]


async def _trainer(db: Any, email: str | None) -> int | None:
    if email is None:
        return None
    row = await db.fetch_one("exports.import.trainer", email=email.strip().lower())
    if row is None or row["role"] != "trainer" or not row["is_active"]:
        raise Refused(f"{email[:254]} is not an active trainer of this studio", 404)
    return int(row["id"])


async def import_archive(db: Any, settings: Any, path: Path, passwords: Any, *, trainer_email: str | None = None,
                         acting_admin: int | None = None, limits: Limits = Limits()) -> Result:
    """Import the archive at `path`; raises Refused (nothing written) when it cannot be imported whole."""
    archive = await anyio.to_thread.run_sync(open_archive, path, limits)
    staging = Staging()
    try:
        client = _client(archive)
        if await db.fetch_one("exports.import.email_taken", email=client["email"]) is not None:
            raise Refused(f"an account with the email {client['email'][:254]} exists already", 409)
        new_trainer = await _trainer(db, trainer_email)
        owner = new_trainer or acting_admin or await db.fetch_val("exports.import.first_admin")
        tables = archive.data["tables"]
        await anyio.to_thread.run_sync(stage, archive, settings, tables.get("files") or [], staging)
        for name in sorted(archive.manifest):
            if name.startswith("csv/"):
                await anyio.to_thread.run_sync(archive.verify, name)
        trainer = client.get("trainer_id")
        people = People(client["id"], trainer if isinstance(trainer, int) else None, new_trainer, owner)
        loader = Loader(db, people, staging, await passwords.hash(secrets.token_urlsafe(32)), archive.missing)
        async with db.transaction():
            for table in TABLES:
                await loader.load(table, tables.get(table.name) or [])
            await loader.finish()
            await anyio.to_thread.run_sync(staging.publish)  # last: a committed row always has its whole file
    except BaseException:
        staging.discard()
        raise
    finally:
        archive.close()
    assert people.new_client is not None
    log.info("client imported", extra={"client_id": people.new_client, "rows": sum(loader.counts.values()),
                                       "files": loader.counts["files"], "trainer_id": new_trainer})
    return Result(people.new_client, loader.counts, loader.reused, loader.ids)


async def command(settings: Any, file: str, trainer_email: str | None) -> int:
    """`python -m elior import FILE.zip [--trainer EMAIL]`: the database migrated first, as `create-admin` does."""
    import sys

    from elior.accounts.passwords import PasswordHasher
    from elior.db.database import Database
    from elior.db.migrations import migrate

    if not Path(file).is_file():
        print(f"elior: no such file: {file}", file=sys.stderr)
        return 1
    db = Database(settings.database_url)
    await db.connect()
    try:
        await migrate(db)
        result = await import_archive(db, settings, Path(file), PasswordHasher.for_settings(settings),
                                      trainer_email=trainer_email)
    except Refused as refused:
        print(f"elior: {file} was not imported (nothing was written): {refused}", file=sys.stderr)
        return 1
    finally:
        await db.disconnect()
    rows = ", ".join(f"{table} {count}" for table, count in result.counts.items() if count)
    print(f"imported {file} as client {result.client_id}: {rows}")
    return 0

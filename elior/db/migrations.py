"""Schema migrations: `sql/migrations/<dialect>/NNNN_name.sql`, applied in order, each recorded once.

All pending migrations run in one transaction that first takes a lock (BEGIN IMMEDIATE on SQLite, an advisory lock on
PostgreSQL), so two processes starting at once apply each migration exactly once, and a failed migration leaves the
schema as it was.
"""
from __future__ import annotations

import logging
from pathlib import Path

from elior import clock
from elior.db.database import SQL_DIR, Database

log = logging.getLogger("elior.migrations")


def migration_files(dialect: str, root: Path = SQL_DIR) -> list[Path]:
    return sorted((root / "migrations" / dialect).glob("[0-9][0-9][0-9][0-9]_*.sql"))


async def migrate(db: Database) -> list[str]:
    """Apply what is pending; return the versions applied by this call."""
    applied_now: list[str] = []
    async with db.transaction():
        await db.fetch_val("db.schema.lock_migrations")
        await db.execute("db.schema.create_migrations_table")
        done = {row["version"] for row in await db.fetch_all("db.schema.applied_migrations")}
        for path in migration_files(db.dialect):
            version, _, name = path.stem.partition("_")
            if version in done:
                continue
            await db.execute_script(path.read_text())
            await db.execute("db.schema.record_migration", version=version, name=name,
                             applied_at=clock.iso(clock.now()))
            applied_now.append(version)
            log.info("migration applied", extra={"version": version, "migration": name})
    return applied_now

"""Housekeeping: a periodic round inside the server that removes what has expired and tidies the database.

A round runs its steps in order and logs one line with what each did (counts); /metrics shows the rounds and the
counts (elior/ops/metrics.py reads `app.state.housekeeping`). The steps of this package are its own (tables every
install has: refresh tokens, invites, the uploads folder, SQLite's upkeep); a domain's steps are handed in by
elior/app.py (`add(name, step)`), so this module imports no domain.

Several processes may serve one PostgreSQL database: a round runs inside one transaction that first takes
`pg_try_advisory_xact_lock`, so only the process that gets the lock runs that round, the others skip it, and the
lock goes with the transaction (no pooled connection is left holding a session lock). On SQLite the steps run one by
one outside a transaction (one process owns the file in practice, and every step is idempotent anyway), because
`PRAGMA wal_checkpoint` cannot run inside one and a round-long transaction would hold the one writer.

Orphaned uploads: bytes on disk with no `files` row are removed once they are older than ORPHAN_GRACE (an upload
publishes its bytes and then commits its row: a younger file may be one in flight); rows whose bytes are missing
are only reported (a log warning with their count and a few names), since deleting a row loses what it was.
"""
from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

from elior import clock
from elior.db.database import Database
from elior.media import storage
from elior.settings import Settings
from elior.web.errors import log_failure

log = logging.getLogger("elior.housekeeping")

Step = Callable[[], Awaitable[int]]  # does its work and answers how many things it removed (or found)
ORPHAN_GRACE = 3600.0  # seconds: younger bytes with no row may be an upload between publish and commit
TEMP_GRACE = 86400.0  # seconds: a `.tmp-*` file of an upload that died half way
LOCK_KEY = 0x456C696F72484B  # "ElioRHK": the advisory lock of the round, one key for the whole database


class Housekeeping:
    """The steps of a round, the round itself, and its figures (read by /metrics)."""

    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        self.steps: list[tuple[str, Step]] = [
            ("refresh_tokens", self.expired_refresh_tokens),
            ("invites", self.expired_invites),
            ("orphaned_files", self.orphaned_files),
            ("missing_files", self.missing_files),
        ]
        self.tail: list[tuple[str, Step]] = [("sqlite", self.sqlite_upkeep)]  # last: after the deletes
        self.rounds = 0  # rounds this process ran
        self.skipped = 0  # rounds another process held the lock for
        self.failures = 0  # steps that raised (logged; the round goes on with the next step)
        self.totals: dict[str, int] = {}  # step -> things removed (or found) over every round
        self.last_round_at: float | None = None
        self.last: dict[str, int] = {}

    def add(self, name: str, step: Step) -> None:
        """A domain's step (elior/app.py hands them in), run after this package's deletes, before SQLite's upkeep."""
        self.steps.append((name, step))

    async def round(self) -> dict[str, int] | None:
        """One round: the counts of each step, or None when another process holds the round's lock."""
        if self.db.dialect != "postgresql":
            counts = await self._run_steps()
        else:
            async with self.db.transaction():
                if not await self.db.fetch_val("ops.housekeeping.try_lock", key=LOCK_KEY):
                    self.skipped += 1
                    log.debug("housekeeping round skipped: another process runs it")
                    return None
                counts = await self._run_steps()
        self.rounds += 1
        self.last_round_at = time.time()
        self.last = counts
        for name, count in counts.items():
            self.totals[name] = self.totals.get(name, 0) + count
        log.info("housekeeping round", extra={"counts": counts})
        return counts

    async def _run_steps(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for name, step in self.steps + self.tail:
            try:
                counts[name] = int(await step())
            except Exception as error:
                # One broken step (a table another version dropped, a full disk) must not stop the others.
                self.failures += 1
                log_failure(log, "housekeeping step failed", error, step=name)
        return counts

    # --- the steps of this package ---

    async def expired_refresh_tokens(self) -> int:
        """Refresh tokens past their expiry: no longer usable, so neither kept nor a reuse to detect."""
        return len(await self.db.fetch_all("ops.housekeeping.expired_refresh_tokens", now=clock.now()))

    async def expired_invites(self) -> int:
        """Invites never used and past their expiry (used ones stay: they say who invited whom)."""
        return len(await self.db.fetch_all("ops.housekeeping.expired_invites", now=clock.now()))

    async def _stored_names(self) -> set[str]:
        return {row["filename"] for row in await self.db.fetch_all("ops.housekeeping.stored_files")}

    async def orphaned_files(self) -> int:
        """Bytes in UPLOAD_DIR that no `files` row names (older than the grace), and dead uploads' temp files."""
        folder = self.settings.upload_dir
        if not folder.is_dir():
            return 0
        known = await self._stored_names()
        now, removed = time.time(), 0
        for path in folder.iterdir():
            if not path.is_file():
                continue
            age = now - path.stat().st_mtime
            orphan = storage.STORED_NAME.fullmatch(path.name) and path.name not in known and age > ORPHAN_GRACE
            dead_temp = path.name.startswith(".tmp-") and age > TEMP_GRACE
            if orphan or dead_temp:
                _unlink(path)
                removed += 1
        if removed:
            log.info("orphaned upload files removed", extra={"count": removed})
        return removed

    async def missing_files(self) -> int:
        """Rows whose bytes are gone: reported, not deleted (what the row was would be lost with it)."""
        missing = sorted(name for name in await self._stored_names()
                         if (path := storage.stored_path(self.settings, name)) is None or not path.exists())
        if missing:
            log.warning("stored files missing their bytes", extra={"count": len(missing), "some": missing[:10]})
        return len(missing)

    async def sqlite_upkeep(self) -> int:
        """SQLite only: refresh the planner's statistics, and fold the write-ahead log back into the file."""
        if self.db.dialect != "sqlite":
            return 0
        async with self.db.transaction():  # on the writer: optimize may write its statistics (sqlite_stat1)
            await self.db.execute("ops.housekeeping.sqlite_optimize")
        # Outside any transaction (a checkpoint cannot run inside one); a reader connection may run it. A reader
        # in the middle of a statement makes TRUNCATE give up (its row says busy = 1): try again shortly, a few times.
        for attempt in range(1, 6):
            row = await self.db.fetch_one("ops.housekeeping.sqlite_checkpoint")
            if not (row or {}).get("busy"):
                break
            await asyncio.sleep(0.05 * attempt)
        return 1

    def figures(self) -> dict[str, Any]:
        """What /metrics exports."""
        return {"rounds": self.rounds, "skipped": self.skipped, "failures": self.failures,
                "totals": dict(self.totals), "last_round_at": self.last_round_at}


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass

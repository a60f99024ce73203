"""The access log's one writer: rows noted by requests wait in memory and are written together, about once a second.

Why batched: a trainer's list endpoint would otherwise pay one INSERT (on SQLite, a turn of the one writer) per
request; here a request only appends a dict, and one `executemany` a second writes every row of that second. Repeats
are collapsed before they are queued: the same reader, client and kind within COLLAPSE_SECONDS is one row, so a
trainer paging through a list, or an app polling, writes one row a minute, not one per request.

What is lost in a crash: the rows of the last second (at shutdown the lifespan flushes them). A batch that fails (the
database briefly away) is put back and tried with the next; past MAX_PENDING rows the oldest are dropped and counted,
so a database that stays away cannot grow the process without bound.
"""
from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from typing import Any

from elior import clock
from elior.db.database import Database
from elior.settings import Settings
from elior.web.errors import log_failure

log = logging.getLogger("elior.access_log")

FLUSH_SECONDS = 1.0
COLLAPSE_SECONDS = 60.0
MAX_PENDING = 50_000


class AccessLog:
    """Rows noted by requests, waiting for the writer task (app.state.access_log)."""

    def __init__(self, settings: Settings, db: Database, interval: float = FLUSH_SECONDS) -> None:
        self.enabled = settings.access_log
        self.db = db
        self.interval = interval
        self.pending: deque[dict[str, Any]] = deque(maxlen=MAX_PENDING)  # full: the oldest row goes
        self.recent: dict[tuple[int, int, str], float] = {}  # (actor, client, kind) -> when last queued
        self.written = 0
        self.collapsed = 0
        self.dropped = 0
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def fresh(self, actor_id: int, client_id: int, kind: str) -> bool:
        """False when the same reader noted the same kind of the same client within the minute (a repeat, dropped);
        True, and the time kept, otherwise. Asked first, so a repeat costs one dict lookup and nothing more."""
        key, now = (actor_id, client_id, kind), time.monotonic()
        last = self.recent.get(key)
        if last is not None and now - last < COLLAPSE_SECONDS:
            self.collapsed += 1
            return False
        self.recent[key] = now
        return True

    def add(self, actor_id: int, actor_role: str, client_id: int, kind: str, address: str, user_agent: str) -> None:
        """Queue one row (after `fresh` said it is no repeat)."""
        if len(self.pending) == MAX_PENDING:
            self.dropped += 1
        self.pending.append({"actor_id": actor_id, "actor_role": actor_role, "client_id": client_id, "kind": kind,
                             "address": address[:100], "user_agent": user_agent[:300], "created_at": clock.now()})

    def forget_client(self, client_id: int) -> None:
        """Drop what is queued about a client whose account is being deleted (their rows must not come back)."""
        self.pending = deque((row for row in self.pending if row["client_id"] != client_id), maxlen=MAX_PENDING)
        self.recent = {key: when for key, when in self.recent.items() if key[1] != client_id}

    async def flush(self) -> int:
        """Write what is queued in one executemany; answers how many rows were sent."""
        batch, self.pending = list(self.pending), deque(maxlen=MAX_PENDING)
        cutoff = time.monotonic() - COLLAPSE_SECONDS
        self.recent = {key: when for key, when in self.recent.items() if when > cutoff}
        if not batch:
            return 0
        try:
            async with self.db.transaction():
                await self.db.execute_many("audit.access_log.insert", batch)
        except Exception as error:
            log_failure(log, "access-log batch not written; kept for the next", error, rows=len(batch))
            newer, self.pending = self.pending, deque(batch, maxlen=MAX_PENDING)
            for row in newer:  # the rows noted meanwhile come after the batch; past the cap the oldest go
                if len(self.pending) == MAX_PENDING:
                    self.dropped += 1
                self.pending.append(row)
            raise
        self.written += len(batch)
        return len(batch)

    async def start(self) -> None:
        if not self.enabled:
            return
        self._stopping = asyncio.Event()
        self._task = asyncio.create_task(self._loop(), name="elior-access-log")

    async def stop(self) -> None:
        """Stop the writer after its current batch, then write what is left (the lifespan's shutdown)."""
        self._stopping.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self.pending:
            try:
                await self.flush()
            except Exception:
                log.error("access-log rows lost at shutdown", extra={"rows": len(self.pending)})

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                await asyncio.wait_for(self._stopping.wait(), self.interval)
            except asyncio.TimeoutError:
                pass
            try:
                await self.flush()
            except Exception:
                pass  # logged by flush; the rows wait for the next round

    def figures(self) -> dict[str, int]:
        return {"written": self.written, "collapsed": self.collapsed, "dropped": self.dropped,
                "pending": len(self.pending)}

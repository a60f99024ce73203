"""The notification outbox: what a write must push, committed with the write, so no fault between the commit and the
push loses what the write announces.

A write records its event inside its own transaction (`events.record`, elior/live/events.py): the notifications the
event calls for are stored, and one `notification_outbox` row holds every push it makes (the event itself and each
`notification.created`), all committed together or not at all. After the commit the row is pushed:
- SQLite (one process): `add` wakes the worker, whose claim of the pending rows is a write and so queues on the single
  writer (elior/db/sqlite.py) behind the recording transaction: it runs once that transaction has ended, and finds
  the row if it committed, nothing if it rolled back. The claim and the pushes share one transaction: a failure puts
  the rows back. Ids follow commit order, so pushes do too.
- PostgreSQL: the batch is NOTIFYed inside the write's transaction, so PostgreSQL sends it at commit (in commit
  order, to every listening process) and drops it on rollback. The process that wrote it notes the row when it
  hears its own NOTIFY, and deletes the rows it heard at its next sweep, in one statement.
A sweep at start and every OUTBOX_SWEEP_SECONDS pushes what is still there: rows left by a crash or a failed claim
on SQLite; on PostgreSQL rows older than two intervals (so their writer has had a sweep to delete them: its
listener was reconnecting, or it was killed before it heard them), claimed with SKIP LOCKED so that two processes
never push one row twice. Pushes are at least once (a swept row may have reached some sockets already); each
notification is stored exactly once, by the write's own transaction.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from typing import TYPE_CHECKING

import orjson

from elior import clock
from elior.live.fanout import Delivery
from elior.web.errors import log_failure

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.live.fanout import Fanout

log = logging.getLogger("elior.realtime")

BATCH = 200  # rows claimed per statement: one sweep after a long outage pushes in steps of this many
STOP_SECONDS = 5.0  # how long `stop` lets a push under way finish before cancelling it


class Outbox:
    def __init__(self, db: "Database", sweep_seconds: float) -> None:
        self.db = db
        self.sweep_seconds = sweep_seconds
        self.fanout: "Fanout | None" = None  # set by the hub once its fan-out runs; rows wait here until then
        self.swept = 0  # rows pushed by a sweep rather than right after their commit
        self._wake = asyncio.Event()
        self._heard: set[int] = set()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    async def add(self, batch: list[Delivery]) -> None:
        """Inside the write's transaction: keep `batch` until it is pushed."""
        if not batch:
            return
        payload = orjson.dumps({"d": [delivery.to_json() for delivery in batch]}).decode()
        outbox_id = await self.db.fetch_val("live.pushes.insert", payload=payload, now=clock.now())
        if self.db.dialect == "postgresql":
            if self.fanout is not None:  # else the first sweep pushes it
                await self.fanout.publish(batch, outbox_id=int(outbox_id))
        else:
            self._wake.set()  # the worker's claim waits for this transaction's end on the single writer

    def heard(self, outbox_id: int) -> None:
        """PostgreSQL: this process heard the NOTIFY of a row it wrote (the fan-out's callback): the next sweep
        deletes it, with every other row heard since (one statement, not one per write)."""
        self._heard.add(outbox_id)

    # --- the worker ---

    def start(self, fanout: "Fanout") -> None:
        self.fanout, self._stopping = fanout, False
        self._task = asyncio.create_task(self._run(), name="elior-notification-outbox")

    async def stop(self) -> None:
        """Let the round under way finish, then end the worker. Not a cancel in the middle of a statement: a task
        cancelled while it takes a pool connection can leave that connection checked out, and the pool's close
        at shutdown then waits for it forever (seen on PostgreSQL)."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            done, _ = await asyncio.wait([self._task], timeout=STOP_SECONDS)
            if not done:
                self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        self.fanout = None

    async def _run(self) -> None:
        next_sweep = time.monotonic()  # the first round sweeps: rows a crash left behind
        while True:
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._wake.wait(), max(0.0, next_sweep - time.monotonic()))
            if self._stopping:  # rows still here wait for the next sweep; those heard need none
                if self._heard:
                    with contextlib.suppress(Exception):
                        await self._forget_heard()
                return
            woken, sweeping = self._wake.is_set(), time.monotonic() >= next_sweep
            self._wake.clear()
            try:
                if sweeping and self._heard:
                    await self._forget_heard()
                if woken and self.db.dialect != "postgresql":
                    await self.push(clock.now())  # everything committed: nothing uncommitted is visible here
                elif sweeping:
                    self.swept += await self.sweep()
            except Exception as error:  # the database may be briefly away: the rows stay, and a round soon pushes them
                log_failure(log, "notification outbox: push failed; retrying", error)
                next_sweep = time.monotonic() + min(1.0, self.sweep_seconds)  # a sweep soon, not a busy loop
                continue
            if sweeping:
                next_sweep = time.monotonic() + self.sweep_seconds

    async def sweep(self) -> int:
        """Push the rows nobody else will: all of them on SQLite, those older than two intervals on PostgreSQL."""
        before = clock.now()
        if self.db.dialect == "postgresql":
            before -= dt.timedelta(seconds=2 * self.sweep_seconds)
        if await self.db.fetch_val("live.pushes.waiting", before=before) is None:
            return 0  # the usual answer, from a read: no write lock taken every few seconds for nothing
        return await self.push(before)

    async def push(self, before: dt.datetime) -> int:
        """Push the rows written up to `before`, oldest first; how many there were."""
        assert self.fanout is not None, "the outbox pushes only while the hub runs"
        pushed = 0
        while True:
            async with self.db.transaction():
                rows = await self.db.fetch_all("live.pushes.claim", before=before, limit=BATCH)
                rows.sort(key=lambda row: int(row["id"]))
                batch = [Delivery.from_json(raw) for row in rows for raw in orjson.loads(row["payload"])["d"]]
                if batch:  # on PostgreSQL a NOTIFY, sent when the claim commits
                    await self.fanout.publish(batch)
            pushed += len(rows)
            if len(rows) < BATCH:
                return pushed

    async def _forget_heard(self) -> None:
        ids, self._heard = sorted(self._heard), set()
        try:
            await self.db.execute("live.pushes.heard", ids=orjson.dumps(ids).decode())
        except Exception:
            self._heard.update(ids)
            raise

    async def pending(self) -> int:
        return int(await self.db.fetch_val("live.pushes.pending"))


"""SQLite for an asyncio server: reads on the event loop, one writer, long statements on threads of their own.

Why this design (measured on the 2-core machine the project runs on; `bench/db.py`, `bench/http_load.py`):
- Handing every statement to a thread (the previous design: four reader connections, a thread each) costs a
  future, a thread wake-up and two GIL hand-offs per statement; on two cores the loop and the threads convoy on the
  GIL: a point SELECT cost 118 us of CPU at 1 task and 145 us at 50, against 8 us run on the loop at either
  (bench/db.py), and requests got slower as connections rose.
- One loop reader is enough: the loop runs one statement at a time, so a second connection there would only
  split SQLite's page cache. Readers on threads are kept for what must not stall the loop.
- Writes run on the loop too, not on a writer thread: a write statement or a COMMIT in WAL mode with
  `synchronous=NORMAL` is tens of microseconds (no fsync; that happens at checkpoints, which run off the loop here),
  and a transaction of five statements paid ten hand-offs on a thread. Measured on `POST /api/progress`
  (6 statements): ~700 us of server CPU per request on the loop against ~1,200 us through the writer thread, and
  ~3x the requests per second at 50 connections. The two things that could block the loop inside a write are
  taken out: lock waits (busy_timeout 0, waited for with asyncio.sleep) and checkpoints (the checkpointer).

One file, these connections, all opened once with the PRAGMAs below:
- the loop reader (read-only): every read outside a transaction, run on the event-loop thread itself. In WAL mode a
  reader never waits for the writer, so a point read costs what SQLite costs (tens of microseconds) and nothing else.
  Its `busy_timeout` is 0: in the rare case it meets a lock (WAL recovery, a checkpoint restarting the log) the read
  is retried on a reader thread, so the loop never sleeps inside SQLite;
- the writer: every write statement and every transaction, one at a time under an asyncio lock, so writers queue
  instead of failing with `database is locked`. Its `busy_timeout` is 0 too: when another process holds the write
  lock, the statement is retried after an asyncio sleep (doubling, up to WRITE_WAIT_SECONDS), so waiting for a lock
  blocks neither the loop nor a thread. Its automatic checkpoints are off: the checkpointer does them;
- reader threads (`SQLITE_READERS`, each a read-only connection and a thread): the statements that can run long.
  A query file says so in its leading comments (`-- runs long`, read by elior.db.database); a statement that was
  not marked and still took longer than LOOP_BUDGET_SECONDS on the loop SLOW_RUNS times in a row is sent to a
  thread from then on (and logged), so a forgotten mark costs a few stalls, not one per request. A long write
  (`-- runs long` on a write) runs in the writer's own thread, still under the lock;
- the checkpointer (a connection and a thread): a PASSIVE checkpoint after every CHECKPOINT_EVERY writes, the work
  (and the fsync) SQLite would otherwise do inside whichever commit crossed its threshold.

A transaction belongs to the task that opened it (as in `databases`): its statements, reads included, go to the
writer; another task meanwhile reads committed data from the loop reader and queues for the write lock.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from elior.db.lanes import (
    Lane,
    Statement,
    adapt,
    execute_one,
    execute_rows,
    fetch_row,
    fetch_rows,
    fetch_value,
    is_busy,
)

log = logging.getLogger("elior.db")

LOOP_BUDGET_SECONDS = 0.02  # an unmarked statement that takes longer on the loop, SLOW_RUNS times in a row, moves
SLOW_RUNS = 3
WRITE_WAIT_SECONDS = 5.0  # how long a write waits for another process's lock before "database is locked"
CHECKPOINT_EVERY = 200  # writes between checkpoints: SQLite's own default (1000 pages) is a few hundred small ones


class SQLiteEngine:
    """The `Engine` of elior.db.database for one SQLite file: the loop reader, the writer, reader threads and the
    checkpointer described above; `run` decides where each statement goes."""

    def __init__(self, path: Path, readers: int = 2) -> None:
        self.path, self.reader_count = path, max(1, readers)
        self.loop_reader: Lane | None = None
        self.writer: Lane | None = None
        self.checkpointer: Lane | None = None
        self.readers: asyncio.Queue[Lane] = asyncio.Queue()
        self.write_lock = asyncio.Lock()
        self._lanes: list[Lane] = []
        self._depth: dict[asyncio.Task[Any], int] = {}  # the tasks inside a transaction, and how deeply nested
        self._statements: dict[str, Statement] = {}
        self._writes = 0
        self._checkpoint: asyncio.Task[Any] | None = None

    # --- connections ---

    async def connect(self) -> None:
        if self.writer is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.writer = self._lane(read_only=False, busy_ms=0, name="writer")  # first: it makes the file WAL
        self.writer.connection.execute("PRAGMA wal_autocheckpoint=0")
        self.loop_reader = self._lane(read_only=True, busy_ms=0, name="loop", threaded=False)
        self.checkpointer = self._lane(read_only=False, busy_ms=0, name="checkpoint")
        for number in range(self.reader_count):
            self.readers.put_nowait(self._lane(read_only=True, busy_ms=int(WRITE_WAIT_SECONDS * 1000),
                                               name=f"reader{number}"))

    def _lane(self, **options: Any) -> Lane:
        lane = Lane(self.path, **options)
        self._lanes.append(lane)
        return lane

    async def disconnect(self) -> None:
        if self._checkpoint is not None:
            with contextlib.suppress(BaseException):
                await self._checkpoint
        for lane in reversed(self._lanes):  # the writer last: closing it checkpoints what is left
            lane.close()
        self._lanes.clear()
        self.readers = asyncio.Queue()
        self.writer = self.loop_reader = self.checkpointer = None

    def prepare(self, sql: str, long: bool = False) -> Statement:
        statement = self._statements.get(sql)
        if statement is None:
            statement = self._statements[sql] = Statement(sql, long)
        return statement

    # --- what elior.db.database calls ---

    async def fetch_all(self, statement: Statement, values: dict[str, Any]) -> list[dict[str, Any]]:
        return await self.run(statement, fetch_rows, adapt(values))  # type: ignore[no-any-return]

    async def fetch_one(self, statement: Statement, values: dict[str, Any]) -> dict[str, Any] | None:
        return await self.run(statement, fetch_row, adapt(values))  # type: ignore[no-any-return]

    async def fetch_val(self, statement: Statement, values: dict[str, Any]) -> Any:
        return await self.run(statement, fetch_value, adapt(values))

    async def execute(self, statement: Statement, values: dict[str, Any]) -> Any:
        return await self.run(statement, execute_one, adapt(values))

    async def execute_many(self, statement: Statement, rows: list[dict[str, Any]]) -> None:
        await self._write(statement, execute_rows, [adapt(row) for row in rows], self._inside_transaction())

    async def script(self, sql: str) -> None:
        """One statement of a migration, on the writer (inside the caller's transaction)."""
        await self._write(self.prepare(sql, long=True), execute_one, {}, self._inside_transaction())

    async def run(self, statement: Statement, function: Callable[..., Any], values: Any) -> Any:
        """`function(connection, sql, values)` where the statement belongs: the writer for a write or inside this
        task's transaction, a reader thread for a long read (or one the loop reader found locked), else the loop."""
        inside = self._inside_transaction()
        if statement.is_write or inside:
            return await self._write(statement, function, values, inside)
        if not statement.long:
            lane = self.loop_reader
            assert lane is not None, "the database is not connected"
            started = time.perf_counter()
            try:
                return function(lane.connection, statement.sql, values)
            except sqlite3.OperationalError as error:
                if not is_busy(error):
                    raise
            finally:
                elapsed = time.perf_counter() - started
                if elapsed > LOOP_BUDGET_SECONDS or statement.slow_runs:
                    self._note_time(statement, elapsed)
        lane = await self.readers.get()
        try:
            return await lane.off_loop(function, statement.sql, values)
        finally:
            self.readers.put_nowait(lane)

    def _note_time(self, statement: Statement, seconds: float) -> None:
        """Moves a statement off the loop after SLOW_RUNS runs in a row over LOOP_BUDGET_SECONDS. In a row: a busy
        machine that preempts the loop now and then must not move a point read off it. (Wall time: the thread's
        CPU clock would say it better, but reading it cost ~5 us a statement here.)"""
        if seconds <= LOOP_BUDGET_SECONDS:
            statement.slow_runs = 0
        elif not statement.long:
            statement.slow_runs += 1
            if statement.slow_runs >= SLOW_RUNS:
                statement.long = True
                log.warning("a statement ran long on the event loop; it runs on a thread from now on (mark its "
                            "file `-- runs long`)", extra={"ms": round(seconds * 1000, 1), "sql": statement.sql[:200]})

    def _inside_transaction(self) -> bool:
        """Whether the running task has a transaction open. Asked once per statement: asyncio.current_task() makes
        a getpid() system call in Python 3.11 (its running-loop check), ~1 us on a VM; with no transaction open
        anywhere it is not asked at all."""
        return bool(self._depth) and asyncio.current_task() in self._depth

    async def _write(self, statement: Statement, function: Callable[..., Any], values: Any, inside: bool) -> Any:
        if inside:
            return await self._on_writer(statement, function, values)  # this task's transaction holds the lock
        async with self.write_lock:
            result = await self._on_writer(statement, function, values)
        self._wrote()
        return result

    async def _on_writer(self, statement: Statement, function: Callable[..., Any], values: Any) -> Any:
        lane = self.writer
        assert lane is not None, "the database is not connected"
        delay, deadline = 0.001, time.monotonic() + WRITE_WAIT_SECONDS
        while True:
            try:
                if statement.long:
                    return await lane.off_loop(function, statement.sql, values)
                started = time.perf_counter()
                try:
                    return function(lane.connection, statement.sql, values)
                finally:
                    elapsed = time.perf_counter() - started
                    if elapsed > LOOP_BUDGET_SECONDS or statement.slow_runs:
                        self._note_time(statement, elapsed)
            except sqlite3.OperationalError as error:
                # Another process holds the write lock: wait for it here, on the loop, without blocking anything.
                if not is_busy(error) or time.monotonic() + delay > deadline:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    def _wrote(self) -> None:
        self._writes += 1
        if self._writes >= CHECKPOINT_EVERY and self._checkpoint is None and self.checkpointer is not None:
            self._writes = 0
            self._checkpoint = asyncio.get_running_loop().create_task(self._run_checkpoint(self.checkpointer))

    async def _run_checkpoint(self, lane: Lane) -> None:
        try:
            await lane.off_loop(fetch_value, "PRAGMA wal_checkpoint(PASSIVE)", {})
        except sqlite3.Error as error:  # a checkpoint that cannot run now runs after the next writes
            log.warning("SQLite checkpoint failed", extra={"error": str(error)})
        finally:
            self._checkpoint = None

    # --- transactions ---

    async def begin(self) -> None:
        """Open a transaction in this task: BEGIN IMMEDIATE under the write lock, or a savepoint when nested."""
        task = asyncio.current_task()
        assert task is not None
        depth = self._depth.get(task, 0)
        if depth:
            await self._on_writer(self.prepare(f"SAVEPOINT sp{depth}"), execute_one, {})
            self._depth[task] = depth + 1
            return
        await self.write_lock.acquire()
        try:
            await self._on_writer(self.prepare("BEGIN IMMEDIATE"), execute_one, {})
        except BaseException:
            self.write_lock.release()
            raise
        self._depth[task] = 1

    async def end(self, commit: bool) -> None:
        task = asyncio.current_task()
        assert task is not None
        depth = self._depth.get(task, 0)
        assert depth, "no transaction is open in this task"
        if depth > 1:
            self._depth[task] = depth - 1
            name = f"sp{depth - 1}"
            if not commit:
                await self._on_writer(self.prepare(f"ROLLBACK TO SAVEPOINT {name}"), execute_one, {})
            await self._on_writer(self.prepare(f"RELEASE SAVEPOINT {name}"), execute_one, {})
            return
        try:
            await self._on_writer(self.prepare("COMMIT" if commit else "ROLLBACK"), execute_one, {})
        except BaseException:
            # A failed COMMIT (or a cancelled one) must not leave the writer inside a transaction.
            with contextlib.suppress(Exception):
                await self._on_writer(self.prepare("ROLLBACK"), execute_one, {})
            raise
        finally:
            del self._depth[task]
            self.write_lock.release()
            self._wrote()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        await self.begin()
        try:
            yield
        except BaseException:
            await self.end(commit=False)
            raise
        await self.end(commit=True)

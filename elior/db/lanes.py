"""SQLite connections and what runs on them: a `Lane` (a connection, and a thread for when a statement must not run
on the event loop), the prepared `Statement`, and the functions that run one statement and close its cursor.

Each function runs wherever elior.db.sqlite sends the statement (the loop or the lane's thread) and returns plain
rows: dicts of str, int, float, bytes or None (sqlite3 without `detect_types` answers nothing else).
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable

from elior.clock import iso

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA temp_store=MEMORY",
)
_WRITE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|"
                    r"SAVEPOINT|RELEASE|WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b)", re.IGNORECASE | re.DOTALL)
_BUSY = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class Statement:
    """One SQL text as this engine runs it: whether it writes, and whether it may run long (then off the loop)."""

    __slots__ = ("sql", "is_write", "long", "slow_runs")

    def __init__(self, sql: str, long: bool = False) -> None:
        self.sql, self.is_write, self.long, self.slow_runs = sql, bool(_WRITE.match(sql)), long, 0


def adapt(values: dict[str, Any]) -> dict[str, Any]:
    """Dates and times are stored as ISO 8601 text, timestamps in UTC with a `Z`."""
    for value in values.values():
        if isinstance(value, dt.date):  # a datetime is a date too
            return {k: iso(v) if isinstance(v, dt.datetime) else v.isoformat() if isinstance(v, dt.date) else v
                    for k, v in values.items()}
    return values


# What a statement's caller wants back. Each runs wherever the statement runs (loop or thread), cursor closed within.
def fetch_rows(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    cursor = connection.execute(sql, values)
    try:
        names = tuple(column[0] for column in cursor.description or ())
        return [dict(zip(names, row)) for row in cursor.fetchall()] if names else []
    finally:
        cursor.close()


def fetch_row(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> dict[str, Any] | None:
    cursor = connection.execute(sql, values)
    try:
        row = cursor.fetchone() if cursor.description else None
        return None if row is None else dict(zip((column[0] for column in cursor.description), row))
    finally:
        cursor.close()


def fetch_value(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> Any:
    cursor = connection.execute(sql, values)
    try:
        row = cursor.fetchone() if cursor.description else None
        return None if row is None else row[0]
    finally:
        cursor.close()


def execute_one(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> Any:
    cursor = connection.execute(sql, values)
    try:
        if cursor.description:
            cursor.fetchall()  # an INSERT ... RETURNING is complete only once its rows are read
        return cursor.lastrowid if cursor.lastrowid else cursor.rowcount
    finally:
        cursor.close()


def execute_rows(connection: sqlite3.Connection, sql: str, rows: list[dict[str, Any]]) -> None:
    connection.executemany(sql, rows).close()


def is_busy(error: sqlite3.OperationalError) -> bool:
    return (getattr(error, "sqlite_errorcode", 0) & 0xFF) in _BUSY


class Lane:
    """A connection and the one thread that runs its statements when they are not run on the loop."""

    def __init__(self, path: Path, *, read_only: bool, busy_ms: int, name: str, threaded: bool = True) -> None:
        # Every named query stays prepared: sqlite3's statement cache holds 128 by default, the project has more.
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, cached_statements=512)
        for pragma in PRAGMAS:
            self.connection.execute(pragma)
        self.connection.execute(f"PRAGMA busy_timeout={busy_ms}")
        if read_only:
            self.connection.execute("PRAGMA query_only=ON")
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"elior-sqlite-{name}") if threaded \
            else None

    async def off_loop(self, function: Callable[..., Any], *args: Any) -> Any:
        assert self._thread is not None, "this connection runs on the event loop only"
        future = asyncio.get_running_loop().run_in_executor(self._thread, function, self.connection, *args)
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            # The statement goes on in its thread; the connection is not handed to anyone until it has finished.
            with contextlib.suppress(BaseException):
                await future
            raise

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True)
        self.connection.close()

"""A SQLite backend for `databases`: persistent connections, PRAGMAs on open, and one writer.

The stock backend opens a new aiosqlite connection (and thread) for every query, applies no PRAGMAs (so foreign keys
are silently not enforced) and lets concurrent writers fail with `database is locked` (measured: 61 of 150 concurrent write transactions). This one keeps
a small pool of read-only connections and a single writer connection, all opened once with the PRAGMAs applied.
Every write statement and every transaction goes through the writer under one asyncio lock, so writers queue instead
of failing; readers run beside them thanks to WAL.

Statements are executed with sqlite3's own named parameters, so no SQL compilation happens per query. Each
connection has one thread of its own, and a whole statement (execute, fetch every row, close the cursor) runs there
in one hop: aiosqlite's cursor API costs a hop per call (three or four per query), and on a busy machine those hops,
not SQLite, were the cost of a query (`bench/db.py`).
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import re
import sqlite3
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, AsyncIterator, Callable

from databases.core import DatabaseURL
from databases.interfaces import ConnectionBackend, DatabaseBackend, Record, TransactionBackend
from sqlalchemy.sql import ClauseElement

from elior.clock import iso
from elior.db.rows import Row

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=5000",
    "PRAGMA temp_store=MEMORY",
)
_WRITE = re.compile(r"^\s*(?:--[^\n]*\n\s*)*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER|WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b)",
                    re.IGNORECASE | re.DOTALL)


def _adapt(value: Any) -> Any:
    """Dates and times are stored as ISO 8601 text, timestamps in UTC with a `Z`."""
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Connection:
    """One sqlite3 connection used only from its own thread; `call` runs a function there and awaits it."""

    def __init__(self, path: str, read_only: bool) -> None:
        self.path, self.read_only = path, read_only
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="elior-sqlite")
        self._conn: sqlite3.Connection | None = None

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, functools.partial(function, *args))

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        for pragma in PRAGMAS:
            connection.execute(pragma)
        if self.read_only:
            connection.execute("PRAGMA query_only=ON")
        return connection

    async def open(self) -> None:
        self._conn = await self.call(self._connect)

    async def close(self) -> None:
        if self._conn is not None:
            await self.call(self._conn.close)
            self._conn = None
        self._executor.shutdown(wait=True)

    async def execute(self, sql: str, values: dict[str, Any] | None = None) -> Any:
        """One statement, every row fetched and the cursor closed, in one trip to the thread."""
        assert self._conn is not None, "the database is not connected"
        return await self.call(_run_statement, self._conn, sql, values or {})


def _run_statement(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> "Result":
    cursor = connection.execute(sql, values)
    try:
        names = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchall() if names else []
        return Result(names, rows, cursor.lastrowid, cursor.rowcount)
    finally:
        cursor.close()


class Result:
    __slots__ = ("names", "rows", "lastrowid", "rowcount")

    def __init__(self, names: list[str], rows: list[tuple[Any, ...]], lastrowid: int | None, rowcount: int) -> None:
        self.names, self.rows, self.lastrowid, self.rowcount = names, rows, lastrowid, rowcount


class _Statement:
    __slots__ = ("sql", "is_write")

    def __init__(self, sql: str) -> None:
        # SQLAlchemy's text() escapes a literal colon as "\:"; sqlite3 wants it plain.
        self.sql = sql.replace("\\:", ":")
        self.is_write = bool(_WRITE.match(sql))


class SQLiteBackend(DatabaseBackend):
    def __init__(self, database_url: DatabaseURL | str, **options: Any) -> None:
        self._url = DatabaseURL(database_url)
        self._path = self._url.database
        self._readers_count = int(options.get("readers", 4))
        self._readers: asyncio.Queue[Connection] = asyncio.Queue()
        self._all: list[Connection] = []
        self.writer: Connection | None = None
        self.write_lock = asyncio.Lock()
        self._statements: dict[str, _Statement] = {}

    async def _open(self, read_only: bool) -> Connection:
        connection = Connection(self._path, read_only)
        await connection.open()
        self._all.append(connection)
        return connection

    async def connect(self) -> None:
        if self.writer is not None:
            return
        self.writer = await self._open(read_only=False)
        for _ in range(self._readers_count):
            self._readers.put_nowait(await self._open(read_only=True))

    async def disconnect(self) -> None:
        for connection in self._all:
            await connection.close()
        self._all.clear()
        self._readers = asyncio.Queue()
        self.writer = None

    def connection(self) -> "SQLiteConnection":
        return SQLiteConnection(self)

    def prepared(self, sql: str) -> _Statement:
        statement = self._statements.get(sql)
        if statement is None:
            statement = self._statements[sql] = _Statement(sql)
        return statement

    def statement(self, query: ClauseElement) -> tuple[_Statement, dict[str, Any]]:
        sql = getattr(query, "text", None)
        if sql is None:
            raise TypeError("the SQLite backend runs text() queries only; SQL lives in sql/*.sql")
        statement = self._statements.get(sql)
        if statement is None:
            statement = self._statements[sql] = _Statement(sql)
        values = {key: _adapt(bind.value) for key, bind in query._bindparams.items()}  # type: ignore[attr-defined]
        return statement, values

    @contextlib.asynccontextmanager
    async def reader(self) -> AsyncIterator[Connection]:
        connection = await self._readers.get()
        try:
            yield connection
        finally:
            self._readers.put_nowait(connection)


class SQLiteConnection(ConnectionBackend):
    """One `databases` connection: borrows a reader per read, the writer per write, the writer for a transaction."""

    def __init__(self, backend: SQLiteBackend) -> None:
        self._backend = backend
        self.in_transaction = False

    async def acquire(self) -> None:
        # Connections are borrowed per statement (or per transaction), so there is nothing to hold here.
        return None

    async def release(self) -> None:
        return None

    @contextlib.asynccontextmanager
    async def _use(self, is_write: bool) -> AsyncIterator[Connection]:
        backend = self._backend
        assert backend.writer is not None, "the database is not connected"
        if self.in_transaction:
            yield backend.writer
        elif is_write:
            async with backend.write_lock:
                yield backend.writer
        else:
            async with backend.reader() as connection:
                yield connection

    async def run_sql(self, sql: str, values: dict[str, Any]) -> Result:
        """Named SQL straight from `elior.db.database`, without building a SQLAlchemy `text()` per query (that, not SQLite,
        was most of the CPU of a point SELECT through `databases`)."""
        statement = self._backend.prepared(sql)
        async with self._use(statement.is_write) as connection:
            return await connection.execute(statement.sql,  # type: ignore[no-any-return]
                                            {key: _adapt(value) for key, value in values.items()})

    async def _run(self, query: ClauseElement) -> Result:
        statement, values = self._backend.statement(query)
        async with self._use(statement.is_write) as connection:
            # Every row is fetched in the thread, so an INSERT ... RETURNING of several rows completes before the
            # connection is reused.
            return await connection.execute(statement.sql, values)  # type: ignore[no-any-return]

    async def fetch_all(self, query: ClauseElement) -> list[Record]:
        result = await self._run(query)
        return [Row(zip(result.names, row)) for row in result.rows]  # type: ignore[misc]

    async def fetch_one(self, query: ClauseElement) -> Record | None:
        result = await self._run(query)
        return Row(zip(result.names, result.rows[0])) if result.rows else None  # type: ignore[return-value]

    async def fetch_val(self, query: ClauseElement, column: Any = 0) -> Any:
        row = await self.fetch_one(query)
        return None if row is None else row[column]

    async def execute(self, query: ClauseElement) -> Any:
        result = await self._run(query)
        return result.lastrowid if result.lastrowid else result.rowcount

    async def execute_many(self, queries: list[ClauseElement]) -> None:
        for query in queries:
            await self.execute(query)

    async def iterate(self, query: ClauseElement) -> AsyncIterator[Any]:
        for row in await self.fetch_all(query):
            yield row

    def transaction(self) -> TransactionBackend:
        return SQLiteTransaction(self)

    @property
    def raw_connection(self) -> Connection:
        assert self._backend.writer is not None
        return self._backend.writer


class SQLiteTransaction(TransactionBackend):
    """A root transaction takes the write lock and runs BEGIN IMMEDIATE; nested ones are savepoints."""

    def __init__(self, connection: SQLiteConnection) -> None:
        self._connection = connection
        self._backend = connection._backend
        self._is_root = False
        self._savepoint = ""

    async def _exec(self, sql: str) -> None:
        assert self._backend.writer is not None, "the database is not connected"
        await self._backend.writer.execute(sql)

    async def start(self, is_root: bool, extra_options: dict[Any, Any]) -> None:
        self._is_root = is_root
        if is_root:
            await self._backend.write_lock.acquire()
            try:
                await self._exec("BEGIN IMMEDIATE")
            except BaseException:
                self._backend.write_lock.release()
                raise
            self._connection.in_transaction = True
        else:
            self._savepoint = f"sp_{uuid.uuid4().hex}"
            await self._exec(f"SAVEPOINT {self._savepoint}")

    async def _finish(self, root_sql: str, nested_sql: str) -> None:
        if not self._is_root:
            await self._exec(nested_sql)
            return
        try:
            await self._exec(root_sql)
        except BaseException:
            # A failed COMMIT (or a cancelled one) must not leave the writer inside a transaction.
            with contextlib.suppress(Exception):
                await self._exec("ROLLBACK")
            raise
        finally:
            self._connection.in_transaction = False
            self._backend.write_lock.release()

    async def commit(self) -> None:
        await self._finish("COMMIT", f"RELEASE SAVEPOINT {self._savepoint}")

    async def rollback(self) -> None:
        await self._finish("ROLLBACK", f"ROLLBACK TO SAVEPOINT {self._savepoint}")

"""`databases` on SQLite, over the project's own engine: for raw SQL outside the named queries (tests, EXPLAIN).

The app's named SQL does not go through `databases` on SQLite (elior.db.database calls the engine directly: building
a SQLAlchemy `text()` per statement cost more CPU than SQLite itself). This module keeps `databases`' public API
usable on the same database all the same, without a second writer: `Databases(url, engine=engine)` is a
`databases.Database` whose SQLite backend runs every statement through that engine, so a raw write inside
`db.transaction()` joins the transaction, reads see what the writer committed, and foreign keys are on.

The one thing `databases` 0.9 has no API for is choosing a backend class: it looks the URL scheme up in
`Database.SUPPORTED_BACKENDS`. We override that mapping in a subclass rather than mutating the library's own dict
(so no other `databases.Database` in the process changes), and tests/db/test_sqlite.py fails if `databases` stops
reading it (`test_raw_sql_through_databases_runs_on_the_projects_engine`).
"""
from __future__ import annotations

from typing import Any, AsyncIterator

import databases
from databases.core import DatabaseURL
from databases.interfaces import ConnectionBackend, DatabaseBackend, Record, TransactionBackend
from sqlalchemy.sql import ClauseElement

from elior.db.lanes import adapt, execute_one, fetch_row, fetch_rows
from elior.db.rows import Row
from elior.db.sqlite import SQLiteEngine
from elior.db.urls import sqlite_path


class Databases(databases.Database):
    # Not an API of `databases` 0.9 (see the module docstring): the one way it offers to pick a backend class.
    SUPPORTED_BACKENDS = {**databases.Database.SUPPORTED_BACKENDS, "sqlite": "elior.db.backend:SQLiteBackend"}


def _sql(query: ClauseElement) -> tuple[str, dict[str, Any]]:
    """The SQL with `:name` parameters and their values, through SQLAlchemy's public compile API."""
    compiled = query.compile()
    return compiled.string, dict(compiled.params)


class SQLiteBackend(DatabaseBackend):
    def __init__(self, database_url: DatabaseURL | str, *, engine: SQLiteEngine | None = None,
                 **options: Any) -> None:
        if engine is None:
            path = sqlite_path(str(database_url))
            assert path is not None
            engine = SQLiteEngine(path, int(options.get("readers", 2)))
        self.engine = engine

    async def connect(self) -> None:
        await self.engine.connect()

    async def disconnect(self) -> None:
        await self.engine.disconnect()

    def connection(self) -> "SQLiteConnection":
        return SQLiteConnection(self.engine)


class SQLiteConnection(ConnectionBackend):
    """Borrows nothing: the engine picks the connection per statement (or the writer, inside a transaction)."""

    def __init__(self, engine: SQLiteEngine) -> None:
        self.engine = engine

    async def acquire(self) -> None:
        return None

    async def release(self) -> None:
        return None

    async def _run(self, query: ClauseElement, function: Any) -> Any:
        sql, values = _sql(query)
        return await self.engine.run(self.engine.prepare(sql), function, adapt(values))

    async def fetch_all(self, query: ClauseElement) -> list[Record]:
        return [Row(row) for row in await self._run(query, fetch_rows)]  # type: ignore[misc]

    async def fetch_one(self, query: ClauseElement) -> Record | None:
        row = await self._run(query, fetch_row)
        return None if row is None else Row(row)  # type: ignore[return-value]

    async def fetch_val(self, query: ClauseElement, column: Any = 0) -> Any:
        row = await self.fetch_one(query)
        return None if row is None else row[column]

    async def execute(self, query: ClauseElement) -> Any:
        return await self._run(query, execute_one)

    async def execute_many(self, queries: list[ClauseElement]) -> None:
        for query in queries:
            await self.execute(query)

    async def iterate(self, query: ClauseElement) -> AsyncIterator[Any]:
        for row in await self.fetch_all(query):
            yield row

    def transaction(self) -> TransactionBackend:
        return SQLiteTransaction(self.engine)

    @property
    def raw_connection(self) -> SQLiteEngine:
        return self.engine


class SQLiteTransaction(TransactionBackend):
    """`databases`' transactions are the engine's: BEGIN IMMEDIATE under the write lock, savepoints when nested."""

    def __init__(self, engine: SQLiteEngine) -> None:
        self.engine = engine

    async def start(self, is_root: bool, extra_options: dict[Any, Any]) -> None:
        await self.engine.begin()

    async def commit(self) -> None:
        await self.engine.end(commit=True)

    async def rollback(self) -> None:
        await self.engine.end(commit=False)

"""The PostgreSQL backend for `databases`, minus the per-query SQLAlchemy compilation.

The stock backend compiles every `text()` query through SQLAlchemy and wraps each row in SQLAlchemy result
machinery: measured here, ~400 us for a point SELECT against ~36 us with asyncpg alone. Our SQL is a fixed set of
named statements, so each is compiled once (`:name` -> `$n`) and cached; rows come back as plain dict-like rows.
Pooling, transactions and savepoints stay the stock backend's (asyncpg's pool, POOL_SIZE and MAX_OVERFLOW), with one
change: asyncpg's default reset on every release to the pool costs a round trip (`RESET ALL; UNLISTEN *; ...`) per
query. The app sets no session state on pooled connections (LISTEN uses a connection of its own, advisory locks are
transaction-scoped), so the reset only has to make sure no transaction is left open.
"""
from __future__ import annotations

from typing import Any

import asyncpg
from databases.backends.postgres import PostgresBackend, PostgresConnection
from databases.interfaces import Record
from sqlalchemy.sql import ClauseElement

from elior.db.rows import Row


async def end_open_transaction(connection: asyncpg.Connection) -> None:
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class FastPostgresBackend(PostgresBackend):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("reset", end_open_transaction)
        super().__init__(*args, **kwargs)
        self.compiled: dict[str, tuple[str, tuple[str, ...]]] = {}

    def connection(self) -> "FastPostgresConnection":
        return FastPostgresConnection(self, self._dialect)


class FastPostgresConnection(PostgresConnection):
    _database: FastPostgresBackend

    def _compile(self, query: ClauseElement) -> tuple[str, list[Any], Any]:
        sql = getattr(query, "text", None)
        if sql is None:
            return super()._compile(query)  # type: ignore[no-any-return]
        cached = self._database.compiled.get(sql)
        if cached is None:
            compiled = query.compile(dialect=self._dialect, compile_kwargs={"render_postcompile": True})
            names = tuple(sorted(compiled.params))
            statement = compiled.string % {name: f"${i}" for i, name in enumerate(names, start=1)}
            cached = self._database.compiled[sql] = (statement, names)
        statement, names = cached
        binds = query._bindparams  # type: ignore[attr-defined]
        return statement, [binds[name].value for name in names], None

    async def fetch_all(self, query: ClauseElement) -> list[Record]:
        assert self._connection is not None, "Connection is not acquired"
        statement, args, _ = self._compile(query)
        return [Row(record.items()) for record in await self._connection.fetch(statement, *args)]

    async def fetch_one(self, query: ClauseElement) -> Record | None:
        assert self._connection is not None, "Connection is not acquired"
        statement, args, _ = self._compile(query)
        record = await self._connection.fetchrow(statement, *args)
        return None if record is None else Row(record.items())

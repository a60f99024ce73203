"""PostgreSQL: `databases`' asyncpg pool and transactions, and the named SQL sent to asyncpg as it is.

Through `databases`' public API only: `Database.connection()` gives this task's connection (the one holding its
transaction, if any), `Connection.raw_connection` the asyncpg connection under it, and `Database.transaction()` the
transactions and savepoints. What the stock path adds per statement is left out: a SQLAlchemy `text()` built and
compiled for every call and every row wrapped in SQLAlchemy's result machinery (measured here, ~400 us for a point
SELECT against ~36 us with asyncpg alone). Each named statement is compiled once instead, `:name` to `$n` by the
rule SQLAlchemy's `text()` uses (a `:` after a colon, a letter or a backslash is not a parameter, `\\:` is a colon),
and rows come back as plain dicts.

The pool (asyncpg's, created by `databases` with these options):
- `POOL_SIZE` (default 5) connections are opened at start and kept (`min_size`); under load the pool opens up to
  `MAX_OVERFLOW` (default 10) more (`max_size = POOL_SIZE + MAX_OVERFLOW`). A request waits for a free connection
  when all are busy; size the pair so that `max_size` times the number of server processes stays below the
  server's `max_connections` (100 by default), leaving room for the live-updates listener (one per process) and
  for `psql`.
- Connections above `POOL_SIZE` that stay idle for 300 s are closed (`max_inactive_connection_lifetime`, asyncpg's
  default); every connection is replaced after 50,000 statements (`max_queries`, asyncpg's default).
- Every connection keeps up to 1,024 prepared statements (`statement_cache_size`; asyncpg's default of 100 is
  fewer than the project's named queries, and a statement pushed out costs a round trip to prepare it again).
- Returning a connection to the pool costs no round trip: asyncpg's default reset (`RESET ALL; UNLISTEN *; ...`)
  is replaced by a check that no transaction was left open. The app sets no session state on pooled connections
  (LISTEN has a connection of its own, advisory locks are transaction-scoped).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import re
from typing import Any, AsyncIterator

import asyncpg
import databases

from elior.clock import iso

STATEMENT_CACHE_SIZE = 1024
_PARAMETER = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


async def end_open_transaction(connection: asyncpg.Connection) -> None:
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class Statement:
    """A named query as asyncpg takes it: `$n` placeholders, and the parameter name behind each."""

    __slots__ = ("sql", "names", "long")

    def __init__(self, sql: str, long: bool = False) -> None:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match.group(1) not in names:
                names.append(match.group(1))
            return f"${names.index(match.group(1)) + 1}"

        self.sql = _PARAMETER.sub(number, sql).replace("\\:", ":")
        self.names, self.long = tuple(names), long

    def args(self, values: dict[str, Any]) -> list[Any]:
        try:
            return [values[name] for name in self.names]
        except KeyError as missing:
            raise KeyError(f"no value for the query parameter :{missing.args[0]}") from None


class PostgresEngine:
    """The `Engine` of elior.db.database on PostgreSQL.

    Each statement takes this task's `databases` connection for its own duration (`async with`, counted, so a
    transaction's statements stay on its connection). Keeping a pool connection across a task's burst of statements
    saved ~85 us a statement, but a lease released from another task could be left behind at shutdown and hold
    `pool.close()` for ever (seen in the suite on PostgreSQL); it was withdrawn until it can be made leak-proof.
    """

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10) -> None:
        self.raw = databases.Database(url, min_size=pool_size, max_size=pool_size + max_overflow,
                                      statement_cache_size=STATEMENT_CACHE_SIZE, reset=end_open_transaction)
        self._statements: dict[str, Statement] = {}

    async def connect(self) -> None:
        await self.raw.connect()

    async def disconnect(self) -> None:
        await self.raw.disconnect()

    def prepare(self, sql: str, long: bool = False) -> Statement:
        statement = self._statements.get(sql)
        if statement is None:
            statement = self._statements[sql] = Statement(sql, long)
        return statement

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        async with self.raw.transaction():
            yield

    async def _run(self, method: str, sql: str, *args: Any) -> Any:
        async with self.raw.connection() as connection:
            return await getattr(connection.raw_connection, method)(sql, *args)

    async def fetch_all(self, statement: Statement, values: dict[str, Any]) -> list[dict[str, Any]]:
        records = await self._run("fetch", statement.sql, *statement.args(values))
        return [{key: value if type(value) in _AS_IS else plain(value) for key, value in record.items()}
                for record in records]

    async def fetch_one(self, statement: Statement, values: dict[str, Any]) -> dict[str, Any] | None:
        record = await self._run("fetchrow", statement.sql, *statement.args(values))
        if record is None:
            return None
        return {key: value if type(value) in _AS_IS else plain(value) for key, value in record.items()}

    async def fetch_val(self, statement: Statement, values: dict[str, Any]) -> Any:
        return plain(await self._run("fetchval", statement.sql, *statement.args(values)))

    async def execute(self, statement: Statement, values: dict[str, Any]) -> Any:
        """The first column of the first row (an `INSERT ... RETURNING id`), as `databases` answers."""
        return await self._run("fetchval", statement.sql, *statement.args(values))

    async def execute_many(self, statement: Statement, rows: list[dict[str, Any]]) -> None:
        await self._run("executemany", statement.sql, [statement.args(row) for row in rows])

    async def script(self, sql: str) -> None:
        """One statement of a migration, as it is (inside the caller's transaction)."""
        await self._run("execute", sql)


_AS_IS = frozenset({str, int, float, bool, type(None), bytes})


def plain(value: Any) -> Any:
    """Values as JSON wants them, as SQLite gives them: ISO text for times and dates, floats for decimals."""
    if type(value) in _AS_IS:  # most values of most rows: one set lookup instead of three isinstance checks
        return value
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value

"""The database: named SQL from `sql/`, the `databases` connection, and rows as plain dicts.

A query is named by its path under `sql/` (`sql/training/workouts/get.sql` is `training.workouts.get`). A file named
`NAME.sqlite.sql` or `NAME.postgresql.sql` replaces `NAME.sql` on that dialect only, for the few statements the two
dialects spell differently. Files under `sql/shared/` are fragments, not queries: `{{ name }}` in a query is replaced
by `sql/shared/name.sql`, so a rule written in SQL (who may see which client) has one home. All files are read once
at start; an unknown query or fragment name raises at once.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Iterable

from databases import Database as _Databases
from databases.core import Transaction

from elior.clock import iso
from elior.ops.metrics import Histogram
from elior.paths import SQL_DIR

DIALECTS = ("sqlite", "postgresql")


class UnknownQuery(KeyError):
    pass


FRAGMENT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
NOT_QUERIES = ("migrations", "shared")


def load_fragments(root: Path = SQL_DIR) -> dict[str, str]:
    """The shared pieces of SQL, by name, with their comment lines dropped so they splice into any clause."""
    return {path.stem: "\n".join(line for line in path.read_text().splitlines()
                                 if not line.lstrip().startswith("--")).strip()
            for path in sorted((root / "shared").glob("*.sql"))}


def expand_fragments(sql: str, fragments: dict[str, str]) -> str:
    def fragment(match: re.Match[str]) -> str:
        try:
            return fragments[match.group(1)]
        except KeyError:
            raise UnknownQuery(f"no SQL fragment {match.group(1)!r} under sql/shared/") from None

    return FRAGMENT.sub(fragment, sql)


def load_queries(dialect: str, root: Path = SQL_DIR) -> dict[str, str]:
    """Every query for one dialect, by name, its fragments spliced in. Migrations and fragments are not queries."""
    fragments = load_fragments(root)
    queries: dict[str, str] = {}
    overrides: dict[str, str] = {}
    for path in sorted(root.rglob("*.sql")):
        relative = path.relative_to(root)
        if relative.parts[0] in NOT_QUERIES:
            continue
        stem = relative.with_suffix("")
        suffix = stem.suffix.lstrip(".")
        if suffix in DIALECTS:
            if suffix == dialect:
                overrides[".".join(stem.with_suffix("").parts)] = path.read_text()
            continue
        queries[".".join(stem.parts)] = path.read_text()
    queries.update(overrides)
    return {name: expand_fragments(sql, fragments) for name, sql in queries.items()}


_AS_IS = frozenset({str, int, float, bool, type(None), bytes})


def _plain(value: Any) -> Any:
    """Values as JSON wants them, the same on both dialects: ISO text for times, floats for decimals."""
    if type(value) in _AS_IS:  # most values of most rows: one set lookup instead of three isinstance checks
        return value
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    return value


def _row(record: Any) -> dict[str, Any]:
    return {key: _plain(value) for key, value in record._mapping.items()}


@dataclass
class QueryStats:
    """Counts every statement sent, for /metrics and for tests that check a list costs a constant number."""

    count: int = 0
    seconds: float = 0.0
    by_name: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    latency: Histogram = field(default_factory=Histogram)

    def record(self, name: str, seconds: float, failed: bool = False) -> None:
        self.count += 1
        self.seconds += seconds
        self.by_name[name] = self.by_name.get(name, 0) + 1
        self.errors += failed
        self.latency.observe(seconds)


class Database:
    """What the endpoints use: `await db.fetch_all("workouts.list", client_id=3)` and `db.transaction()`."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10, sqlite_readers: int = 4) -> None:
        self.url = url
        self.dialect = "postgresql" if url.startswith("postgresql") else "sqlite"
        self.queries = load_queries(self.dialect)
        self.stats = QueryStats()
        if self.dialect == "sqlite":
            _Databases.SUPPORTED_BACKENDS["sqlite+elior"] = "elior.db.sqlite:SQLiteBackend"
            self.raw = _Databases(url.replace("sqlite://", "sqlite+elior://", 1), readers=sqlite_readers)
        else:
            # asyncpg keeps POOL_SIZE connections open and opens up to MAX_OVERFLOW more under load.
            _Databases.SUPPORTED_BACKENDS["postgresql+elior"] = "elior.db.postgres:FastPostgresBackend"
            self.raw = _Databases(url.replace("postgresql://", "postgresql+elior://", 1), min_size=pool_size,
                                  max_size=pool_size + max_overflow)

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return Path(self.raw.url.database) if self.dialect == "sqlite" else None

    async def connect(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        await self.raw.connect()

    async def disconnect(self) -> None:
        await self.raw.disconnect()

    def sql(self, name: str) -> str:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(f"no SQL file for query {name!r} under sql/") from None

    def check_names(self, names: Iterable[str]) -> None:
        """Fail at start, not at request time, if code names a query that has no file."""
        missing = sorted(set(names) - set(self.queries))
        if missing:
            raise UnknownQuery(f"queries named in code but missing under sql/: {', '.join(missing)}")

    @contextlib.asynccontextmanager
    async def _timed(self, name: str) -> AsyncIterator[None]:
        started = time.perf_counter()
        failed = True
        try:
            yield
            failed = False
        finally:
            self.stats.record(name, time.perf_counter() - started, failed)

    def _direct(self) -> Any:
        """SQLite: this task's backend connection (in its transaction, if any), to run named SQL directly."""
        return self.raw.connection()._connection if self.dialect == "sqlite" else None

    async def fetch_all(self, name: str, /, **values: Any) -> list[dict[str, Any]]:
        async with self._timed(name):
            direct = self._direct()
            if direct is not None:
                result = await direct.run_sql(self.sql(name), values)
                # sqlite3 without detect_types answers only str, int, float, bytes and None: nothing for _plain to do.
                names = result.names
                return [dict(zip(names, row)) for row in result.rows]
            return [_row(r) for r in await self.raw.fetch_all(self.sql(name), values)]

    async def fetch_one(self, name: str, /, **values: Any) -> dict[str, Any] | None:
        async with self._timed(name):
            direct = self._direct()
            if direct is not None:
                result = await direct.run_sql(self.sql(name), values)
                return {k: _plain(v) for k, v in zip(result.names, result.rows[0])} if result.rows else None
            record = await self.raw.fetch_one(self.sql(name), values)
        return None if record is None else _row(record)

    async def fetch_val(self, name: str, /, **values: Any) -> Any:
        async with self._timed(name):
            direct = self._direct()
            if direct is not None:
                result = await direct.run_sql(self.sql(name), values)
                return _plain(result.rows[0][0]) if result.rows else None
            return _plain(await self.raw.fetch_val(self.sql(name), values))

    async def execute(self, name: str, /, **values: Any) -> Any:
        async with self._timed(name):
            direct = self._direct()
            if direct is not None:
                result = await direct.run_sql(self.sql(name), values)
                return result.lastrowid if result.lastrowid else result.rowcount
            return await self.raw.execute(self.sql(name), values)

    async def execute_many(self, name: str, /, rows: list[dict[str, Any]]) -> None:
        if rows:
            async with self._timed(name):
                await self.raw.execute_many(self.sql(name), rows)

    async def execute_script(self, sql: str) -> None:
        """Run several statements (a migration). Not for request paths: it takes raw SQL, not a name."""
        for statement in split_statements(sql):
            await self.raw.execute(statement.replace(":", "\\:"))

    def transaction(self) -> Transaction:
        return self.raw.transaction()


def split_statements(script: str) -> list[str]:
    """Split a migration on semicolons at line ends; migrations keep one statement per `;`-terminated block."""
    statements: list[str] = []
    current: list[str] = []
    for line in script.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statement = "\n".join(current).strip().rstrip(";").strip()
            if statement:
                statements.append(statement)
            current = []
    tail = "\n".join(current).strip()
    if tail:
        statements.append(tail)
    return statements

"""The database: named SQL from `sql/`, run by the engine of the dialect, and rows as plain dicts.

A query is named by its path under `sql/` (`sql/training/workouts/get.sql` is `training.workouts.get`). A file named
`NAME.sqlite.sql` or `NAME.postgresql.sql` replaces `NAME.sql` on that dialect only, for the few statements the two
dialects spell differently. Files under `sql/shared/` are fragments, not queries: `{{ name }}` in a query is replaced
by `sql/shared/name.sql` (which may name fragments in turn), so a rule written in SQL (who may see which client)
has one home. All files are read once at start; an unknown query or fragment name raises at once. A query whose
leading comments say `-- runs long` is one that may take a while (exports, histories, anything unbounded): on
SQLite it never runs on the event loop.

`Database` runs named SQL through an `Engine` (the interface below): elior.db.sqlite on SQLite, elior.db.postgres on
PostgreSQL. `databases` stays behind this package: on PostgreSQL its asyncpg pool and transactions serve the engine,
through its public API; on SQLite `db.raw` is a `databases.Database` over the same engine (elior.db.backend), for
raw SQL in tests. The dialect and the SQLite file are read from the URL by elior.db.urls, their one home.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncContextManager, Awaitable, Callable, Protocol

from elior.db import urls
from elior.db.urls import DIALECTS
from elior.ops.metrics import Histogram
from elior.paths import SQL_DIR


class UnknownQuery(KeyError):
    pass


FRAGMENT = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
MAX_FRAGMENT_DEPTH = 4
NOT_QUERIES = ("migrations", "shared")
RUNS_LONG = re.compile(r"^--\s*runs long\b", re.IGNORECASE)


def load_fragments(root: Path = SQL_DIR) -> dict[str, str]:
    """The shared pieces of SQL, by name, with their comment lines dropped so they splice into any clause."""
    return {path.stem: "\n".join(line for line in path.read_text().splitlines()
                                 if not line.lstrip().startswith("--")).strip()
            for path in sorted((root / "shared").glob("*.sql"))}


def expand_fragments(sql: str, fragments: dict[str, str]) -> str:
    """Splice fragments in, and the fragments they name in turn (a list's filters name the visibility rule)."""
    def fragment(match: re.Match[str]) -> str:
        try:
            return fragments[match.group(1)]
        except KeyError:
            raise UnknownQuery(f"no SQL fragment {match.group(1)!r} under sql/shared/") from None

    for _ in range(MAX_FRAGMENT_DEPTH):
        sql, spliced = FRAGMENT.subn(fragment, sql)
        if not spliced:
            return sql
    raise UnknownQuery(f"SQL fragments nest deeper than {MAX_FRAGMENT_DEPTH} (one names itself?)")


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


def runs_long(sql: str) -> bool:
    """A query whose leading comments say `-- runs long` (an export, a history over years, anything unbounded): on
    SQLite it runs on a reader thread, never on the event loop (elior.db.sqlite)."""
    for line in sql.splitlines():
        line = line.strip()
        if line and not line.startswith("--"):
            return False
        if RUNS_LONG.match(line):
            return True
    return False


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


class Engine(Protocol):
    """The backend interface of the project's own, one per dialect (elior.db.sqlite, elior.db.postgres).

    `prepare(sql, long)` turns a query's text into the engine's statement once, at start; every call then takes that
    statement and the values by parameter name. Rows are plain dicts of str, int, float, bytes or None, the same on
    both dialects. `execute` answers the new row id or the row count on SQLite, the first column of the first row on
    PostgreSQL (as `databases` does); `script` runs one statement of a migration as it is, without parameters.
    `transaction()` belongs to the task that opens it; nested, it is a savepoint.
    """

    async def connect(self) -> None: ...
    async def disconnect(self) -> None: ...
    def prepare(self, sql: str, long: bool = False) -> Any: ...
    async def fetch_all(self, statement: Any, values: dict[str, Any]) -> list[dict[str, Any]]: ...
    async def fetch_one(self, statement: Any, values: dict[str, Any]) -> dict[str, Any] | None: ...
    async def fetch_val(self, statement: Any, values: dict[str, Any]) -> Any: ...
    async def execute(self, statement: Any, values: dict[str, Any]) -> Any: ...
    async def execute_many(self, statement: Any, rows: list[dict[str, Any]]) -> None: ...
    async def script(self, sql: str) -> None: ...
    def transaction(self) -> AsyncContextManager[Any]: ...


class Database:
    """What the endpoints use: `await db.fetch_all("training.workouts.page_client", client_id=3)` and
    `async with db.transaction():`. `raw` is a `databases.Database` on the same database, for raw SQL in tests."""

    def __init__(self, url: str, *, pool_size: int = 5, max_overflow: int = 10, sqlite_readers: int = 4) -> None:
        self.url = url
        self.dialect = urls.dialect(url)
        self.queries = load_queries(self.dialect)
        self.stats = QueryStats()
        self.engine: Engine
        if self.dialect == "sqlite":
            from elior.db.backend import Databases
            from elior.db.sqlite import SQLiteEngine

            path = urls.sqlite_path(url)
            assert path is not None
            sqlite = SQLiteEngine(path, sqlite_readers)
            self.engine, self.raw = sqlite, Databases(url, engine=sqlite)
        else:
            from elior.db.postgres import PostgresEngine

            postgres = PostgresEngine(url, pool_size=pool_size, max_overflow=max_overflow)
            self.engine, self.raw = postgres, postgres.raw
        # Every query prepared once, now: a PostgreSQL statement is compiled here, not at its first request.
        self.statements = {name: self.engine.prepare(sql, runs_long(sql)) for name, sql in self.queries.items()}

    @property
    def path(self) -> Path | None:
        """The SQLite file, or None on PostgreSQL."""
        return urls.sqlite_path(self.url)

    async def connect(self) -> None:
        await self.raw.connect()  # on SQLite, `databases` connects the engine (elior.db.backend)

    async def disconnect(self) -> None:
        await self.raw.disconnect()

    def sql(self, name: str) -> str:
        try:
            return self.queries[name]
        except KeyError:
            raise UnknownQuery(f"no SQL file for query {name!r} under sql/") from None

    def _statement(self, name: str) -> Any:
        try:
            return self.statements[name]
        except KeyError:
            raise UnknownQuery(f"no SQL file for query {name!r} under sql/") from None

    # Each call is timed with a plain try/finally in one helper: an async context manager per statement cost more
    # than it timed.
    async def _timed(self, run: Callable[[Any, dict[str, Any]], Awaitable[Any]], name: str,
                     values: dict[str, Any]) -> Any:
        statement, started, failed = self._statement(name), time.perf_counter(), True
        try:
            result = await run(statement, values)
            failed = False
            return result
        finally:
            self.stats.record(name, time.perf_counter() - started, failed)

    async def fetch_all(self, name: str, /, **values: Any) -> list[dict[str, Any]]:
        return await self._timed(self.engine.fetch_all, name, values)  # type: ignore[no-any-return]

    async def fetch_one(self, name: str, /, **values: Any) -> dict[str, Any] | None:
        return await self._timed(self.engine.fetch_one, name, values)  # type: ignore[no-any-return]

    async def fetch_val(self, name: str, /, **values: Any) -> Any:
        return await self._timed(self.engine.fetch_val, name, values)

    async def execute(self, name: str, /, **values: Any) -> Any:
        return await self._timed(self.engine.execute, name, values)

    async def execute_many(self, name: str, /, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        statement, started, failed = self._statement(name), time.perf_counter(), True
        try:
            await self.engine.execute_many(statement, rows)
            failed = False
        finally:
            self.stats.record(name, time.perf_counter() - started, failed)

    async def execute_script(self, sql: str) -> None:
        """Run several statements (a migration). Not for request paths: it takes raw SQL, not a name."""
        for statement in split_statements(sql):
            await self.engine.script(statement)

    def transaction(self) -> AsyncContextManager[Any]:
        return self.engine.transaction()


def split_statements(script: str) -> list[str]:
    """Split a migration on semicolons at line ends; migrations keep one statement per `;`-terminated block. A `;`
    ending a `--` comment line ends nothing, and a block of comments alone is no statement (PostgreSQL's simple
    protocol, through asyncpg, fails on an empty query)."""
    statements: list[str] = []
    current: list[str] = []

    def flush() -> None:
        statement = "\n".join(current).strip().rstrip(";").strip()
        if any(line.strip() and not line.strip().startswith("--") for line in statement.splitlines()):
            statements.append(statement)
        current.clear()

    for line in script.splitlines():
        if line.strip().startswith("--") and not current:
            continue
        current.append(line)
        if line.rstrip().endswith(";") and not line.strip().startswith("--"):
            flush()
    flush()
    return statements

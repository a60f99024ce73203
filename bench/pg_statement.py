"""Per-statement CPU of a point SELECT on PostgreSQL, layer by layer: where a request's statements spend it.

    python3 bench/pg_statement.py [--url postgresql://postgres@127.0.0.1:5432/test] [--queries 3000]

The same one-row statement (`SELECT CAST($1 AS INTEGER) + 1`, no table: the server's own work is nil) three ways,
on uvloop as the server runs, timed by bench/db.py's `measure` (the designs take turns in each of 5 rounds, at 1 and
at 50 concurrent tasks; the median):
1. asyncpg alone, on one connection held throughout (the driver's floor; at 50 tasks they take turns on it through
   an asyncio.Lock, as one connection allows one statement at a time);
2. an asyncpg pool, a connection acquired and released around each statement, with the project's reset
   (elior.db.postgres.end_open_transaction: no round trip on release);
3. the project's layer, `PostgresEngine.fetch_val` (elior.db.postgres): `databases`' task connection around the
   same pool, taken and given back per statement.
Prints wall and CPU microseconds per statement (CPU: this process's, time.process_time). The difference between 1
and 3 is what each statement of a request pays for taking a pooled connection.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402
from db import measure  # noqa: E402  (bench/db.py: the same timing as the SQLite designs get)

from elior.db.postgres import PostgresEngine, end_open_transaction  # noqa: E402

LABELS = {"one connection": "asyncpg, one connection", "pool": "asyncpg pool, per statement",
          "project": "PostgresEngine.fetch_val"}


async def main(args: argparse.Namespace) -> dict[tuple[str, int], tuple[float, float]]:
    engine = PostgresEngine(args.url)
    statement = engine.prepare("SELECT CAST(:n AS INTEGER) + 1")  # the raw layers send its `$1` text
    connection = await asyncpg.connect(args.url)
    pool = await asyncpg.create_pool(args.url, min_size=5, max_size=15, reset=end_open_transaction)
    await engine.connect()

    turn = asyncio.Lock()

    async def alone() -> Any:
        async with turn:
            return await connection.fetchval(statement.sql, 1)

    async def pooled() -> Any:
        async with pool.acquire() as held:
            return await held.fetchval(statement.sql, 1)

    queries: dict[str, tuple[int, Callable[[], Awaitable[Any]]]] = {
        "one connection": (args.queries, alone),
        "pool": (args.queries, pooled),
        "project": (args.queries, lambda: engine.fetch_val(statement, {"n": 1})),
    }
    try:
        for _, query in queries.values():
            assert await query() == 2
        return await measure(queries)
    finally:
        await engine.disconnect()
        await pool.close()
        await connection.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--queries", type=int, default=3000)
    parsed = parser.parse_args()
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    result = asyncio.run(main(parsed))
    print(f"{'one-row SELECT':<30}{'1 task: wall':>13}{'CPU':>8}{'50 tasks: wall':>16}{'CPU':>8}  us/stmt")
    for name, label in LABELS.items():
        (w1, c1), (w50, c50) = result[(name, 1)], result[(name, 50)]
        print(f"{label:<30}{w1:13.1f}{c1:8.1f}{w50:16.1f}{c50:8.1f}")

"""Per-statement CPU of a point SELECT on PostgreSQL, layer by layer: where a request's statements spend it.

    python3 bench/pg_statement.py [--url postgresql://postgres@127.0.0.1:5432/test] [--queries 3000] [--rounds 3]

The same one-row statement (`SELECT $1::int + 1`, no table: the server's own work is nil) three ways, in
alternating rounds on uvloop, as the server runs:
1. asyncpg alone, on one connection held throughout (the driver's floor);
2. an asyncpg pool, a connection acquired and released around each statement, with the project's reset
   (elior.db.postgres.end_open_transaction: no round trip on release);
3. the project's layer, `PostgresEngine.fetch_val` (elior.db.postgres): `databases`' task connection around the
   same pool, taken and given back per statement.
Prints CPU microseconds per statement (this process's, time.process_time) per round, and the minimum. The
difference between 1 and 3 is what each statement of a request pays for taking a pooled connection.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import asyncpg  # noqa: E402

from elior.db.postgres import PostgresEngine, end_open_transaction  # noqa: E402

SQL = "SELECT $1::int + 1"


async def cpu_per_call(call: Callable[[], Awaitable[Any]], queries: int) -> float:
    for _ in range(200):  # warm: the statement prepared and cached on every connection used
        await call()
    started = time.process_time()
    for _ in range(queries):
        await call()
    return (time.process_time() - started) / queries * 1e6


async def main(args: argparse.Namespace) -> None:
    connection = await asyncpg.connect(args.url)
    pool = await asyncpg.create_pool(args.url, min_size=5, max_size=15, reset=end_open_transaction)
    engine = PostgresEngine(args.url)
    await engine.connect()
    statement = engine.prepare("SELECT CAST(:n AS INTEGER) + 1")

    async def pooled() -> Any:
        async with pool.acquire() as held:
            return await held.fetchval(SQL, 1)

    layers: dict[str, Callable[[], Awaitable[Any]]] = {
        "asyncpg, one connection": lambda: connection.fetchval(SQL, 1),
        "asyncpg pool, per statement": pooled,
        "PostgresEngine.fetch_val": lambda: engine.fetch_val(statement, {"n": 1}),
    }
    figures: dict[str, list[float]] = {name: [] for name in layers}
    try:
        for _ in range(args.rounds):
            for name, call in layers.items():
                figures[name].append(await cpu_per_call(call, args.queries))
    finally:
        await engine.disconnect()
        await pool.close()
        await connection.close()
    print(f"{'layer':<30}{'CPU us per statement, each round':>36}{'min':>8}")
    for name, values in figures.items():
        print(f"{name:<30}{', '.join(f'{v:.1f}' for v in values):>36}{min(values):>8.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/test")
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=3)
    parsed = parser.parse_args()
    try:
        import uvloop
        uvloop.install()
    except ImportError:
        pass
    asyncio.run(main(parsed))

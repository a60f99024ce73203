"""Per-statement cost of a point SELECT on one SQLite file, by design, at 1 and 50 concurrent tasks:

1. the project's layer: `Database.fetch_one("accounts.auth.session", ...)` (elior.db.sqlite: reads on the event loop);
2. the previous design, rebuilt here: every statement handed to one of four reader connections, each with a thread
   of its own (`run_in_executor` per statement), as elior.db.sqlite did before reads moved onto the loop;
3. raw aiosqlite on one persistent connection (a thread hop per call, the floor of "SQLite off the loop");
4. the stock `databases` SQLite backend (a new aiosqlite connection and thread per query outside a connection).

    python3 bench/db.py [--queries 3000]

Prints wall and CPU microseconds per statement. CPU is the process's (every thread), so a hop's cost shows even when
the machine is busy. Goals: the project's layer >= 5x faster than stock, and its cost at 50 tasks within 1.2x of
its cost at 1 (a read that does not hop does not convoy).
"""
from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosqlite  # noqa: E402
from databases import Database as StockDatabase  # noqa: E402

from elior import clock  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402

Query = Callable[[], Awaitable[Any]]


async def seed(url: str) -> int:
    db = Database(url)
    await db.connect()
    await migrate(db)
    user = await db.fetch_one("accounts.users.insert", email="bench@example.test", password_hash="x",
                              full_name="Bench", role="trainer", trainer_id=None, now=clock.now())
    assert user is not None
    login_id = int(await db.fetch_val("accounts.auth.create_login", user_id=user["id"], now=clock.now(),
                                      user_agent="bench", address="127.0.0.1"))
    await db.disconnect()
    return login_id


class ThreadPerStatement:
    """The previous read path: four read-only connections, each used from its own thread, one hop per statement."""

    def __init__(self, path: Path, readers: int = 4) -> None:
        self.pool: asyncio.Queue[tuple[sqlite3.Connection, ThreadPoolExecutor]] = asyncio.Queue()
        self.all = []
        for _ in range(readers):
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA query_only=ON")
            pair = (connection, ThreadPoolExecutor(max_workers=1))
            self.all.append(pair)
            self.pool.put_nowait(pair)

    async def fetch_one(self, sql: str, values: dict[str, Any]) -> Any:
        connection, thread = await self.pool.get()
        try:
            return await asyncio.get_running_loop().run_in_executor(thread, _one, connection, sql, values)
        finally:
            self.pool.put_nowait((connection, thread))

    def close(self) -> None:
        for connection, thread in self.all:
            thread.shutdown()
            connection.close()


def _one(connection: sqlite3.Connection, sql: str, values: dict[str, Any]) -> Any:
    cursor = connection.execute(sql, values)
    try:
        row = cursor.fetchone()
        return None if row is None else dict(zip((c[0] for c in cursor.description), row))
    finally:
        cursor.close()


async def cost(query: Query, count: int, tasks: int) -> tuple[float, float]:
    """(wall, CPU) microseconds per statement, `count` statements spread over `tasks` concurrent tasks."""
    async def worker(share: int) -> None:
        for _ in range(share):
            await query()

    wall, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(worker(count // tasks) for _ in range(tasks)))
    done = count // tasks * tasks
    return (time.perf_counter() - wall) / done * 1e6, (time.process_time() - cpu) / done * 1e6


async def measure(queries: dict[str, tuple[int, Query]], rounds: int = 5) -> dict[tuple[str, int], tuple[float, float]]:
    """The median over rounds; the designs take turns in every round, so a neighbour's load weighs on all alike."""
    for count, query in queries.values():
        for _ in range(min(count, 50)):
            await query()  # warm caches, connections and threads
    samples: dict[tuple[str, int], list[tuple[float, float]]] = {}
    for _ in range(rounds):
        for name, (count, query) in queries.items():
            for tasks in (1, 50):
                samples.setdefault((name, tasks), []).append(await cost(query, count, tasks))
    return {key: (statistics.median(w for w, _ in v), statistics.median(c for _, c in v)) for key, v in samples.items()}


async def main(count: int) -> dict[tuple[str, int], tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        login_id = await seed(url)
        project = Database(url)
        await project.connect()
        sql = project.sql("accounts.auth.session")
        threaded = ThreadPerStatement(path)
        stock = StockDatabase(url)
        await stock.connect()
        connection = await aiosqlite.connect(path)
        values = {"login_id": login_id}
        try:
            async def raw_query() -> Any:
                async with connection.execute(sql, values) as cursor:
                    return await cursor.fetchone()

            # The same row, every way.
            assert (await project.fetch_one("accounts.auth.session", **values))["email"] == "bench@example.test"
            assert (await threaded.fetch_one(sql, values))["email"] == "bench@example.test"
            assert (await stock.fetch_one(sql, values)) is not None
            assert (await raw_query()) is not None
            return await measure({
                "project": (count, lambda: project.fetch_one("accounts.auth.session", **values)),
                "threads": (count, lambda: threaded.fetch_one(sql, values)),
                "raw": (count, raw_query),
                "stock": (max(count // 10, 100), lambda: stock.fetch_one(sql, values)),
            })
        finally:
            await connection.close()
            await stock.disconnect()
            threaded.close()
            await project.disconnect()


LABELS = {"project": "project layer (reads on the loop)", "threads": "previous: a thread hop per statement",
          "raw": "raw aiosqlite, one connection", "stock": "stock databases SQLite backend"}

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=3000)
    result = asyncio.run(main(parser.parse_args().queries))
    print(f"{'point SELECT (auth.session)':<38}{'1 task: wall':>13}{'CPU':>8}{'50 tasks: wall':>16}{'CPU':>8}  us/stmt")
    for name, label in LABELS.items():
        (w1, c1), (w50, c50) = result[(name, 1)], result[(name, 50)]
        print(f"{label:<38}{w1:13.1f}{c1:8.1f}{w50:16.1f}{c50:8.1f}")
    faster = result[("stock", 1)][1] / result[("project", 1)][1]
    growth = result[("project", 50)][1] / result[("project", 1)][1]
    print(f"\nproject is {faster:.1f}x cheaper than stock in CPU (goal >= 5x: {'met' if faster >= 5 else 'MISSED'}); "
          f"its CPU at 50 tasks is {growth:.2f}x its CPU at 1 (goal <= 1.2x: {'met' if growth <= 1.2 else 'MISSED'})")

"""Per-query cost of a point SELECT, three ways, in one run on one SQLite file:

1. the project's layer: `elior.db.database.Database.fetch_one("accounts.auth.session", ...)` (named SQL, our SQLite backend, row dicts);
2. the stock `databases` SQLite backend (a new aiosqlite connection and thread per query outside a connection);
3. raw aiosqlite on one persistent connection (the floor for anything that runs SQLite off the event loop).

    python3 bench/db.py [--queries 3000]

Goals: the project's layer >= 5x faster than stock, and within 2x of raw aiosqlite.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Awaitable, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import aiosqlite  # noqa: E402
from databases import Database as StockDatabase  # noqa: E402

from elior import clock  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402


async def seed(url: str) -> int:
    db = Database(url)
    await db.connect()
    await migrate(db)
    user = await db.fetch_one("accounts.users.insert", email="bench@example.test", password_hash="x", full_name="Bench",
                              role="trainer", trainer_id=None, now=clock.now())
    assert user is not None
    login_id = int(await db.fetch_val("accounts.auth.create_login", user_id=user["id"], now=clock.now(), user_agent="bench",
                                      address="127.0.0.1"))
    await db.disconnect()
    return login_id


async def measure(queries: dict[str, tuple[int, Callable[[], Awaitable[Any]]]], rounds: int = 7) -> dict[str, float]:
    """Microseconds per query, the median over rounds; the three ways take turns in every round, so a neighbour's
    load on this machine weighs on all of them alike."""
    for count, query in queries.values():
        for _ in range(min(count, 50)):
            await query()  # warm caches, connections and threads
    samples: dict[str, list[float]] = {name: [] for name in queries}
    for _ in range(rounds):
        for name, (count, query) in queries.items():
            started = time.perf_counter()
            for _ in range(count):
                await query()
            samples[name].append((time.perf_counter() - started) / count * 1e6)
    return {name: statistics.median(values) for name, values in samples.items()}


async def main(queries: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        url = f"sqlite:///{path}"
        login_id = await seed(url)
        project = Database(url)
        await project.connect()
        sql = project.sql("accounts.auth.session")
        stock = StockDatabase(url)
        await stock.connect()
        raw_sql = sql.replace("\\:", ":")
        connection = await aiosqlite.connect(path)
        try:
            async def raw_query() -> Any:
                async with connection.execute(raw_sql, {"login_id": login_id}) as cursor:
                    return await cursor.fetchone()

            # The same row, three ways.
            assert (await project.fetch_one("accounts.auth.session", login_id=login_id))["email"] == "bench@example.test"
            assert (await stock.fetch_one(sql, {"login_id": login_id})) is not None
            assert (await raw_query()) is not None
            return await measure({
                "project": (queries, lambda: project.fetch_one("accounts.auth.session", login_id=login_id)),
                "stock": (max(queries // 10, 50), lambda: stock.fetch_one(sql, {"login_id": login_id})),
                "raw": (queries, raw_query),
            })
        finally:
            await connection.close()
            await stock.disconnect()
            await project.disconnect()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=3000)
    result = asyncio.run(main(parser.parse_args().queries))
    print(f"{'point SELECT (auth.session)':<34} {'us/query':>9} {'vs project':>11}")
    for name, label in (("project", "project layer (elior.db.database)"), ("stock", "stock databases SQLite backend"),
                        ("raw", "raw aiosqlite, one connection")):
        print(f"{label:<34} {result[name]:9.1f} {result[name] / result['project']:10.2f}x")
    faster = result["stock"] / result["project"]
    slower = result["project"] / result["raw"]
    print(f"\nproject is {faster:.1f}x faster than stock (goal >= 5x: {'met' if faster >= 5 else 'MISSED'}); "
          f"{slower:.2f}x the cost of raw aiosqlite (goal <= 2x: {'met' if slower <= 2 else 'MISSED'})")

"""The PostgreSQL engine on the real server: a task's burst of statements shares one pool connection, given back
as soon as the task waits on anything else."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest

from elior.db.database import Database
from tests.conftest import ON_POSTGRES

pytestmark = pytest.mark.skipif(not ON_POSTGRES, reason="needs ELIOR_TEST_DATABASE_URL=postgresql://...")


def on_postgres(url: str, body: Any, **options: Any) -> Any:
    async def main() -> Any:
        db = Database(url, **options)
        await db.connect()
        try:
            return await body(db)
        finally:
            await db.disconnect()

    return asyncio.run(main())


async def backend_pid(db: Database) -> int:
    return int(await db.engine.fetch_val(db.engine.prepare("SELECT pg_backend_pid()"), {}))


def test_a_burst_of_statements_shares_one_connection(empty_database_url: str) -> None:
    async def body(db: Database) -> tuple[int, int, int]:
        first, second = await backend_pid(db), await backend_pid(db)
        async with db.transaction():
            inside = await backend_pid(db)
        return first, second, inside

    first, second, inside = on_postgres(empty_database_url, body)
    assert first == second == inside


def test_an_idle_task_gives_its_connection_back(empty_database_url: str) -> None:
    """A pool of one: the second task gets the connection while the first, done with SQL, waits on something else.
    Held across that wait, the second would wait forever (the guard below turns that into a failure)."""
    async def body(db: Database) -> tuple[int, int]:
        go_on = asyncio.Event()

        async def first() -> int:
            pid = await backend_pid(db)
            await go_on.wait()  # the task is idle now: its connection goes back to the pool
            return pid

        holder = asyncio.create_task(first())
        await asyncio.sleep(0.01)
        other = await asyncio.wait_for(backend_pid(db), timeout=10)
        go_on.set()
        return await holder, other

    held, other = on_postgres(empty_database_url, body, pool_size=1, max_overflow=0)
    assert held == other  # the pool's one connection, used by both in turn


def test_a_burst_keeps_its_connection_ahead_of_a_waiting_task(empty_database_url: str) -> None:
    """A pool of one, a second task already queued for it: the first task's next statement still runs on the
    connection it holds (given back per statement, the queued task would take it in between)."""
    async def body(db: Database) -> list[str]:
        order: list[str] = []

        async def burst() -> None:
            await backend_pid(db)
            order.append("first 1")
            await backend_pid(db)
            order.append("first 2")

        async def queued() -> None:
            await backend_pid(db)
            order.append("other")

        one = asyncio.create_task(burst())
        await asyncio.sleep(0)  # the burst has taken the connection and sent its first statement
        await asyncio.wait_for(asyncio.gather(one, queued()), timeout=10)
        return order

    assert on_postgres(empty_database_url, body, pool_size=1, max_overflow=0) == ["first 1", "first 2", "other"]

"""The PostgreSQL engine on the real server: every statement gives its pool connection back, so that neither a
cancelled task nor a busy one can keep the pool from closing at shutdown."""
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


def test_tasks_cancelled_mid_burst_leave_no_connection_behind(empty_database_url: str) -> None:
    async def body(db: Database) -> tuple[int, int]:
        async def burst() -> None:
            while True:
                await backend_pid(db)

        tasks = [asyncio.create_task(burst()) for _ in range(8)]
        await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        async with db.transaction():
            inside = await backend_pid(db)
            again = await backend_pid(db)
        return inside, again

    async def main() -> tuple[int, int]:
        db = Database(empty_database_url, pool_size=2, max_overflow=0)
        await db.connect()
        try:
            return await body(db)
        finally:
            await asyncio.wait_for(db.disconnect(), timeout=10)  # a leaked connection would hold close() for ever

    inside, again = asyncio.run(main())
    assert inside == again  # a transaction's statements stay on its one connection

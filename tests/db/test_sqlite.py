"""The SQLite engine on a real file: reads on the event loop, long statements and lock waits off it, checkpoints."""
from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any, Awaitable, Callable

import pytest

from elior import clock
from elior.db import sqlite as engine_module
from elior.db.database import Database, runs_long
from elior.db.migrations import migrate


def on_sqlite(tmp_path: Path, body: Callable[[Database], Awaitable[Any]]) -> Any:
    """Run `body` against a migrated Database on a fresh SQLite file."""

    async def main() -> Any:
        db = Database(f"sqlite:///{tmp_path / 'engine.db'}")
        await db.connect()
        try:
            await migrate(db)
            return await body(db)
        finally:
            await db.disconnect()

    return asyncio.run(main())


async def add_user(db: Database, email: str) -> int:
    user = await db.fetch_one("accounts.users.insert", email=email, password_hash="x", full_name="U", role="trainer",
                              trainer_id=None, now=clock.now())
    assert user is not None
    return int(user["id"])


async def yielded_during(call: Awaitable[Any]) -> bool:
    """Whether awaiting `call` let the event loop run anything else (a statement handed to a thread does)."""
    ran: list[bool] = []
    asyncio.get_running_loop().call_soon(ran.append, True)
    await call
    return bool(ran)


def test_reads_run_on_the_event_loop_without_yielding(tmp_path: Path) -> None:
    async def body(db: Database) -> tuple[bool, bool]:
        user_id = await add_user(db, "reader@example.test")
        point = await yielded_during(db.fetch_one("accounts.users.role_of", id=user_id))
        listing = await yielded_during(db.fetch_val("tests.count_logins", user_id=user_id))
        return point, listing

    assert on_sqlite(tmp_path, body) == (False, False)


def test_a_statement_marked_long_runs_off_the_loop(tmp_path: Path) -> None:
    async def body(db: Database) -> tuple[bool, Any]:
        statement = db.engine.prepare("-- runs long\nSELECT count(*) AS n FROM users", long=True)
        row: dict[str, Any] = {}

        async def read() -> None:
            row.update(await db.engine.fetch_one(statement, {}) or {})

        return await yielded_during(read()), row["n"]

    assert on_sqlite(tmp_path, body) == (True, 0)


def test_runs_long_is_read_from_the_leading_comments() -> None:
    assert runs_long("-- The client's whole history.\n-- runs long: years of entries\nSELECT 1")
    assert runs_long("\n-- Runs long\nSELECT 1")
    assert not runs_long("-- One row by its key.\nSELECT 1")
    assert not runs_long("SELECT 1\n-- runs long")  # only the header counts, not a comment further down


def test_a_read_slow_three_times_in_a_row_moves_off_the_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "LOOP_BUDGET_SECONDS", 0.0)  # every run counts as slow: no timing involved

    async def body(db: Database) -> list[bool]:
        statement = db.engine.prepare("SELECT version FROM schema_migrations -- a read of this test's own")
        moved = []
        for _ in range(engine_module.SLOW_RUNS):
            moved.append(statement.long)
            await db.engine.fetch_all(statement, {})
        return moved + [statement.long, await yielded_during(db.engine.fetch_all(statement, {}))]

    assert on_sqlite(tmp_path, body) == [False, False, False, True, True]


def test_a_write_waits_for_another_processs_lock_without_blocking_the_loop(tmp_path: Path) -> None:
    async def body(db: Database) -> tuple[int, int]:
        other = sqlite3.connect(tmp_path / "engine.db", isolation_level=None)  # as a second process would
        other.execute("BEGIN IMMEDIATE")
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        async def release_later() -> None:
            while ticks < 20:  # the loop has gone round twenty times while the write waited
                await asyncio.sleep(0.005)
            other.execute("COMMIT")

        beat = asyncio.create_task(ticker())
        releaser = asyncio.create_task(release_later())
        user_id = await add_user(db, "waiter@example.test")
        await releaser
        beat.cancel()
        other.close()
        return ticks, int(await db.fetch_val("accounts.users.role_of", id=user_id) == "trainer")

    ticks, landed = on_sqlite(tmp_path, body)
    assert ticks >= 20 and landed == 1


def test_a_nested_transaction_that_fails_rolls_back_only_its_savepoint(tmp_path: Path) -> None:
    async def body(db: Database) -> tuple[bool, bool]:
        async with db.transaction():
            kept = await add_user(db, "kept@example.test")
            with pytest.raises(RuntimeError):
                async with db.transaction():
                    await add_user(db, "dropped@example.test")
                    raise RuntimeError("the inner step failed")
        return (await db.fetch_val("accounts.users.id_by_email", email="kept@example.test") == kept,
                await db.fetch_val("accounts.users.id_by_email", email="dropped@example.test") is None)

    assert on_sqlite(tmp_path, body) == (True, True)


def test_another_task_reads_committed_data_while_a_transaction_is_open(tmp_path: Path) -> None:
    async def body(db: Database) -> tuple[Any, Any]:
        inside = asyncio.Event()
        seen: list[Any] = []

        async def writer() -> None:
            async with db.transaction():
                await add_user(db, "pending@example.test")
                inside.set()
                await asyncio.sleep(0.05)
                seen.append(await db.fetch_val("accounts.users.id_by_email", email="pending@example.test"))

        async def reader() -> None:
            await inside.wait()
            seen.append(await db.fetch_val("accounts.users.id_by_email", email="pending@example.test"))

        await asyncio.gather(writer(), reader())
        return seen[0], seen[1]

    uncommitted_to_reader, own_write = on_sqlite(tmp_path, body)
    assert uncommitted_to_reader is None and own_write is not None


def test_checkpoints_run_off_the_loop_after_enough_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "CHECKPOINT_EVERY", 5)

    async def body(db: Database) -> None:
        for number in range(6):
            await add_user(db, f"user{number}@example.test")
        checkpoint = db.engine._checkpoint  # type: ignore[attr-defined]
        if checkpoint is not None:
            await checkpoint

    on_sqlite(tmp_path, body)
    # The database file alone (its WAL ignored) already holds the rows: a checkpoint copied them in.
    main_file = sqlite3.connect(f"file:{tmp_path / 'engine.db'}?immutable=1", uri=True)
    try:
        assert main_file.execute("SELECT count(*) FROM users").fetchone()[0] == 6
    finally:
        main_file.close()


def test_raw_sql_through_databases_runs_on_the_projects_engine(tmp_path: Path) -> None:
    """`databases` picks our backend through Database.SUPPORTED_BACKENDS (elior/db/backend.py): if the library stops
    reading it, raw SQL would run on its stock backend, without foreign keys and beside a second writer."""
    async def body(db: Database) -> tuple[Any, Any, Any]:
        foreign_keys = await db.raw.fetch_val("PRAGMA foreign_keys")
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.raw.execute("INSERT INTO schema_migrations (version, name, applied_at) "
                                     "VALUES ('9999', 'raw', 'now')")
                raise RuntimeError("roll it back")
        left = await db.raw.fetch_val("SELECT count(*) FROM schema_migrations WHERE version = '9999'")
        return foreign_keys, left, type(db.raw.connection().raw_connection).__name__

    assert on_sqlite(tmp_path, body) == (1, 0, "SQLiteEngine")

"""Fan-out between server processes: two real uvicorn processes on one PostgreSQL database, LISTEN/NOTIFY between
them; in memory on SQLite."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.live.fanout import LISTENER_NAME, LocalFanout, PostgresFanout
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.helpers import Studio
from tests.live.test_realtime import live_server, post_json

needs_postgres = pytest.mark.skipif(not ON_POSTGRES, reason="several processes share one database only on "
                                    "PostgreSQL: set ELIOR_TEST_DATABASE_URL=postgresql://...")


def request(base: str, method: str, path: str, token: str, body: dict[str, Any] | None = None) -> Any:
    import urllib.request

    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://{base}{path}", data=data, method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def emit(base: str, kind: str, client_id: int, **data: Any) -> None:
    post_json(base, "/test/emit", {"type": kind, "client_id": client_id, "data": data})


async def next_message(ws: Any, timeout: float = 5.0) -> dict[str, Any]:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))  # type: ignore[no-any-return]


async def listeners(database_url: str) -> list[int]:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                      "AND application_name = $1", LISTENER_NAME)
        return [row["pid"] for row in rows]
    finally:
        await connection.close()


async def terminate(database_url: str, pids: list[int]) -> None:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        for pid in pids:
            await connection.execute("SELECT pg_terminate_backend($1)", pid)
    finally:
        await connection.close()


def test_sqlite_delivers_in_memory_and_postgres_through_notify(client: TestClient) -> None:
    fanout = client.app.state.hub.fanout  # type: ignore[attr-defined]
    assert isinstance(fanout, PostgresFanout if ON_POSTGRES else LocalFanout)


@needs_postgres
def test_event_on_one_process_reaches_a_socket_on_another(database_url: str, settings: Settings, studio: Studio,
                                                          tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    async def scenario(one: str, two: str) -> None:
        async with connect(f"ws://{two}/ws/workouts?token={studio.client_a1.token}") as ws:
            await asyncio.to_thread(emit, one, "workout.created", studio.client_a1.id, title="from process one")
            message = await next_message(ws)
        assert set(message) == {"type", "data", "at"}
        assert message["type"] == "workout.created" and message["data"]["title"] == "from process one"

    with live_server(database_url, settings, tmp_path / "one.log") as one, \
            live_server(database_url, settings, tmp_path / "two.log") as two:
        asyncio.run(scenario(one, two))


@needs_postgres
def test_write_through_one_process_reaches_client_and_trainer_on_another(
        database_url: str, settings: Settings, studio: Studio, tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    async def scenario(one: str, two: str) -> None:
        async with connect(f"ws://{two}/ws/workouts?token={studio.client_a1.token}") as workouts, \
                connect(f"ws://{two}/ws/notifications?token={studio.client_a1.token}") as notes, \
                connect(f"ws://{one}/ws/workouts?token={studio.trainer_b.token}") as other_trainer:
            workout = await asyncio.to_thread(request, one, "POST", "/api/workouts", studio.trainer_a.token, {
                "client_id": studio.client_a1.id, "title": "Across processes", "scheduled_for": "2026-12-04"})
            assert (await next_message(workouts))["data"] == workout
            note = await next_message(notes)
            assert note["type"] == "notification.created" and note["data"]["data"]["id"] == workout["id"]
            await asyncio.to_thread(emit, two, "workout.updated", studio.client_b1.id, title="B1's")
            assert (await next_message(other_trainer))["data"]["title"] == "B1's"  # and nothing of A1 before it
        stored = await asyncio.to_thread(request, two, "GET", "/api/notifications", studio.client_a1.token)
        assert stored["total"] == 1  # stored once, by the process that took the write, not once per process

    with live_server(database_url, settings, tmp_path / "one.log") as one, \
            live_server(database_url, settings, tmp_path / "two.log") as two:
        asyncio.run(scenario(one, two))


@needs_postgres
def test_event_larger_than_a_notify_payload_arrives_whole(database_url: str, settings: Settings, studio: Studio,
                                                          tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    notes = "é" * 20_000  # 40,000 bytes of UTF-8: five times what one NOTIFY may carry

    async def scenario(one: str, two: str) -> None:
        async with connect(f"ws://{two}/ws/workouts?token={studio.client_a1.token}") as ws:
            await asyncio.to_thread(emit, one, "workout.updated", studio.client_a1.id, notes=notes)
            message = await next_message(ws)
        assert message["data"]["notes"] == notes

    with live_server(database_url, settings, tmp_path / "one.log") as one, \
            live_server(database_url, settings, tmp_path / "two.log") as two:
        asyncio.run(scenario(one, two))


@needs_postgres
def test_listener_reconnects_after_its_connection_is_killed(database_url: str, settings: Settings, studio: Studio,
                                                            tmp_path: Path) -> None:
    from websockets.asyncio.client import connect

    async def scenario(one: str, two: str) -> None:
        before = await listeners(database_url)
        assert len(before) == 3  # the test client's app and the two servers
        await terminate(database_url, before)
        deadline = time.monotonic() + 15
        while True:
            now = await listeners(database_url)
            if len(now) == 3 and not set(now) & set(before):
                break
            assert time.monotonic() < deadline, "the listeners did not come back"
            await asyncio.sleep(0.1)
        async with connect(f"ws://{two}/ws/workouts?token={studio.client_a1.token}") as ws:
            await asyncio.to_thread(emit, one, "workout.created", studio.client_a1.id, title="after the loss")
            assert (await next_message(ws))["data"]["title"] == "after the loss"

    with live_server(database_url, settings, tmp_path / "one.log") as one, \
            live_server(database_url, settings, tmp_path / "two.log") as two:
        asyncio.run(scenario(one, two))

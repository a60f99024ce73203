"""The notification outbox (elior/live/outbox.py): a recorded write's pushes leave after its commit and never after a
rollback, a write whose transaction fails keeps no notification, what a fault left behind is swept to the sockets,
and the PostgreSQL fan-out delivers in the order it hears, a stored batch included.
"""
from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import sqlite3
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import orjson
import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.live import events
from elior.live.events import Event
from elior.live.fanout import Delivery
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.helpers import Studio, run
from tests.live.serve import elior_serve
from tests.live.test_realtime import connect, receive
from tests.notifications.test_faults import pair

SWEEP_SECONDS = 0.5


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, outbox_sweep_seconds=SWEEP_SECONDS)


def pending(client: TestClient) -> int:
    return int(run(client, client.app.state.hub.outbox.pending))  # type: ignore[attr-defined]


def wait_empty(client: TestClient, timeout: float = 10.0) -> int:
    """The rows left once the outbox has had `timeout` seconds to push (on PostgreSQL a row goes once heard)."""
    deadline = time.monotonic() + timeout
    while (left := pending(client)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def post_workout(client: TestClient, studio: Studio, title: str) -> dict[str, Any]:
    response = client.post("/api/workouts", headers=studio.trainer_a.headers, json={
        "client_id": studio.client_a1.id, "title": title, "scheduled_for": "2026-12-03"})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_a_recorded_write_pushes_its_event_then_its_notification_and_keeps_no_row(client: TestClient,
                                                                                   studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as workouts, \
            connect(client, "notifications", studio.client_a1) as notes:
        workout = post_workout(client, studio, "Committed")
        event = receive(workouts)
        note = receive(notes)
    assert event["type"] == "workout.created" and event["data"] == workout
    assert note["type"] == "notification.created" and note["data"]["data"]["id"] == workout["id"]
    assert wait_empty(client) == 0


def test_a_rolled_back_write_stores_and_pushes_nothing(client: TestClient, studio: Studio) -> None:
    state = client.app.state  # type: ignore[attr-defined]

    async def record_then_fail() -> None:
        async with state.db.transaction():
            await events.record_event(state, Event("workout.created", {"id": 999_999, "title": "Rolled back"},
                                                   studio.client_a1.id, studio.trainer_a.id))
            assert await state.hub.outbox.pending() == 1  # inside: the row and the notification are there
            raise RuntimeError("the write fails after its event was recorded")

    with connect(client, "notifications", studio.client_a1) as notes:
        with pytest.raises(RuntimeError):
            run(client, record_then_fail)
        workout = post_workout(client, studio, "After the rollback")
        assert receive(notes)["data"]["data"]["id"] == workout["id"]  # the first push: nothing of the rolled back
    items = client.get("/api/notifications", headers=studio.client_a1.headers).json()["items"]
    assert [item["data"]["id"] for item in items] == [workout["id"]]
    assert wait_empty(client) == 0


def test_a_push_a_crash_left_in_the_outbox_is_swept_to_the_socket(client: TestClient, studio: Studio) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    message = {"type": "notification.created", "data": {"id": 41, "type": "workout.created", "data": {"id": 7}},
               "at": "2026-12-01T10:00:00Z"}
    payload = orjson.dumps({"d": [Delivery(message, (studio.client_a1.id,)).to_json()]}).decode()
    with connect(client, "notifications", studio.client_a1) as notes:
        # Committed and never pushed, nobody woken for it: what a process killed after a commit leaves.
        run(client, db.fetch_val, "live.pushes.insert", payload=payload, now=clock.now() - dt.timedelta(minutes=1))
        assert receive(notes, timeout=10) == message
    assert client.app.state.hub.outbox.swept == 1  # type: ignore[attr-defined]
    assert wait_empty(client) == 0


def test_a_failing_listener_fails_the_recorded_write(client: TestClient, studio: Studio) -> None:
    async def broken(event: Event) -> None:
        raise RuntimeError("a listener fails inside the write's transaction")

    client.app.state.events.subscribe(broken)  # type: ignore[attr-defined]
    response = client.post("/api/workouts", headers=studio.trainer_a.headers, json={
        "client_id": studio.client_a1.id, "title": "Never", "scheduled_for": "2026-12-03"})
    assert response.status_code == 500
    assert client.get("/api/workouts", headers=studio.trainer_a.headers).json()["total"] == 0
    assert client.get("/api/notifications", headers=studio.client_a1.headers).json()["total"] == 0
    assert pending(client) == 0


# --- a real server: the write's transaction fails after its notification was stored in it ---

FAULT_SQLITE = ("CREATE TRIGGER outbox_fault BEFORE INSERT ON notification_outbox "
                "BEGIN SELECT RAISE(ABORT, 'injected fault'); END")
FAULT_POSTGRES = ("CREATE FUNCTION outbox_fault() RETURNS trigger LANGUAGE plpgsql AS "
                  "$$ BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
                  "CREATE TRIGGER outbox_fault BEFORE INSERT ON notification_outbox "
                  "FOR EACH ROW EXECUTE FUNCTION outbox_fault()")
UNFAULT_POSTGRES = "DROP TRIGGER outbox_fault ON notification_outbox; DROP FUNCTION outbox_fault()"


def sql_on(database_url: str, script: str) -> None:
    if not ON_POSTGRES:
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None) as connection:
            connection.execute(script)
        return
    import asyncpg

    async def execute() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(script)
        finally:
            await connection.close()

    asyncio.run(execute())


def test_a_write_whose_transaction_fails_stores_no_notification(database_url: str, tmp_path: Path) -> None:
    people = pair(database_url)
    sql_on(database_url, FAULT_POSTGRES if ON_POSTGRES else FAULT_SQLITE)  # the outbox row, the write's last insert
    with elior_serve(database_url, tmp_path / "data") as served:
        trainer = {"Authorization": f"Bearer {people.trainer_token}"}
        client = {"Authorization": f"Bearer {people.client_token}"}
        body = {"client_id": people.client_id, "title": "Doomed", "scheduled_for": "2026-12-03"}
        url = served.base_url
        # A new connection for each request: after an unexpected error the server closes the one it came on.
        failed = httpx.post(f"{url}/api/workouts", json=body, headers=trainer, timeout=30)
        assert failed.status_code >= 500 and set(failed.json()) == {"error", "detail", "status_code"}
        assert httpx.get(f"{url}/api/workouts", headers=trainer, timeout=30).json()["total"] == 0
        assert httpx.get(f"{url}/api/notifications", headers=client, timeout=30).json()["total"] == 0
        sql_on(database_url, UNFAULT_POSTGRES if ON_POSTGRES else "DROP TRIGGER outbox_fault")
        assert httpx.post(f"{url}/api/workouts", json=body, headers=trainer, timeout=30).status_code == 201
        assert httpx.get(f"{url}/api/notifications", headers=client, timeout=30).json()["total"] == 1


# --- the PostgreSQL fan-out delivers in the order it hears ---

@pytest.mark.skipif(not ON_POSTGRES, reason="LISTEN/NOTIFY: set ELIOR_TEST_DATABASE_URL=postgresql://...")
def test_a_stored_batch_and_a_small_one_heard_after_it_arrive_in_that_order(client: TestClient,
                                                                          studio: Studio) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    big = {"type": "workout.updated", "data": {"id": 1, "notes": "é" * 10_000}, "at": "2026-12-01T10:00:00Z"}
    small = {"type": "workout.updated", "data": {"id": 2}, "at": "2026-12-01T10:00:01Z"}

    async def both() -> None:
        async with state.db.transaction():  # both NOTIFYs arrive together, at commit, the stored one first
            await state.hub.fanout.publish([Delivery(big, (studio.client_a1.id,))])
            await state.hub.fanout.publish([Delivery(small, (studio.client_a1.id,))])

    with connect(client, "workouts", studio.client_a1) as ws:
        run(client, both)
        assert [receive(ws)["data"]["id"], receive(ws)["data"]["id"]] == [1, 2]

"""The race for the last place, against two real server processes on one database (the SQLite file, or PostgreSQL
with ELIOR_TEST_DATABASE_URL): 20 clients book the same time at once; exactly `capacity` win, every other is a 409
in the envelope, and the credits moved for the winners only."""
from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Iterator

import httpx2 as httpx
import pytest

from elior import clock
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.settings import Settings
from elior.web.tokens import make_access_token
from tests.live_server import SECRET, Server, environment, start

RACERS = 20


async def _people(database_url: str, clients: int) -> dict[str, Any]:
    """An admin, a trainer and `clients` clients of theirs, written straight to the database, each signed in."""
    db = Database(database_url)
    await db.connect()
    try:
        await migrate(db)
        settings = Settings(secret_key=SECRET)

        async def person(role: str, trainer_id: int | None = None) -> tuple[int, str]:
            user = await db.fetch_one("accounts.users.insert", email=f"{role}-{uuid.uuid4().hex}@example.test",
                                      password_hash="x", full_name=f"Race {role}",
                                      role=role, trainer_id=trainer_id, now=clock.now())
            assert user is not None
            login = await db.fetch_val("accounts.auth.create_login", user_id=user["id"], now=clock.now(),
                                       user_agent="race", address="127.0.0.1")
            return user["id"], make_access_token(settings, user_id=user["id"], role=role, login_id=login)[0]

        admin = await person("admin")
        trainer = await person("trainer")
        return {"admin": admin, "trainer": trainer, "clients": [await person("client", trainer[0])
                                                                 for _ in range(clients)]}
    finally:
        await db.disconnect()


@pytest.fixture
def servers(database_url: str, tmp_path: Path) -> Iterator[list[Server]]:
    env = environment(database_url, tmp_path, STUDIO_TIMEZONE="Europe/Berlin")
    asyncio.run(_migrate(database_url))  # once, before two processes start on the same database
    started = [start(env, tmp_path / f"server-{n}.log") for n in range(2)]
    try:
        yield started
    finally:
        for server in started:
            server.terminate()


async def _migrate(database_url: str) -> None:
    db = Database(database_url)
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.disconnect()


def call(base: str, token: str, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{base}{path}", json=body, headers={"Authorization": f"Bearer {token}"},
                         timeout=30)


@pytest.mark.parametrize("capacity", [1, 3])
def test_exactly_the_places_left_are_won_by_parallel_bookings(servers: list[Server], database_url: str,
                                                              capacity: int) -> None:
    people = asyncio.run(_people(database_url, RACERS))
    base, (_, admin), (trainer_id, _) = servers[0].base_url, people["admin"], people["trainer"]
    kind = call(base, admin, "POST", "/api/session-types",
                {"name": "Small group", "duration_minutes": 60, "capacity": capacity}).json()
    week = {"weekly": [{"weekday": d, "start": "00:00", "end": "24:00"} for d in range(7)]}
    assert call(base, admin, "PUT", f"/api/trainers/{trainer_id}/availability", week).status_code == 200
    for client_id, _ in people["clients"]:
        assert call(base, admin, "POST", "/api/packages",
                    {"client_id": client_id, "type_id": kind["id"], "credits": 5}).status_code == 201
    tomorrow = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)).date()
    slot = call(base, admin, "GET", f"/api/slots?trainer_id={trainer_id}&type={kind['id']}&from={tomorrow}"
                ).json()["items"][0]
    gate = threading.Barrier(RACERS)

    def racer(n: int) -> httpx.Response:
        _, token = people["clients"][n]
        gate.wait()
        return call(servers[n % 2].base_url, token, "POST", "/api/appointments",
                    {"type_id": kind["id"], "starts_at": slot["starts_at"]})

    with ThreadPoolExecutor(RACERS) as pool:
        answers = list(pool.map(racer, range(RACERS)))
    codes = sorted(response.status_code for response in answers)
    assert codes == [201] * capacity + [409] * (RACERS - capacity), [r.text for r in answers if r.status_code
                                                                     not in (201, 409)]
    assert all(set(r.json()) == {"error", "detail", "status_code"} for r in answers if r.status_code == 409)
    winners = {r.json()["client_id"] for r in answers if r.status_code == 201}
    booked = call(base, admin, "GET", f"/api/appointments?trainer_id={trainer_id}").json()
    assert booked["total"] == capacity and {a["client_id"] for a in booked["items"]} == winners
    for client_id, token in people["clients"]:
        balances = call(base, token, "GET", "/api/credits").json()["balances"][0]
        assert (balances["balance"], balances["held"]) == ((4, 1) if client_id in winners else (5, 0))
    left = call(base, admin, "GET", f"/api/slots?trainer_id={trainer_id}&type={kind['id']}&from={tomorrow}"
                ).json()["items"]
    assert slot["starts_at"] not in {s["starts_at"] for s in left}

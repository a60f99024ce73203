"""Bookings at a studio's scale: the free-slot search over four busy weeks, and a burst of bookings for one day.

    python3 bench/bookings.py                                                     # SQLite
    python3 bench/bookings.py --postgresql postgresql://postgres@127.0.0.1:5432/postgres

Seeds a fresh database (users straight into their table; everything else through the API of a real server,
`python -m elior serve`, in Europe/Berlin): a trainer working 08:00-18:00 every day, a 60-minute session type with a
15-minute buffer, and 200 appointments of 20 clients over the next four weeks. Then measures, from outside:
- slots: `GET /api/slots` for the trainer over 28 days (`--requests` times): p50, p99 and mean, and the SQL
  statements per request (the server's own count). Goal: p99 under 50 ms on SQLite.
- burst: 50 clients at once (one connection each, released together) each book a random free slot of one empty
  day of the trainer's. Every request must be answered (201 or 409, nothing else), no two places may overlap
  (buffer included) and the batch's wall time is printed.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
import uuid
import zoneinfo
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import Client  # noqa: E402
from programs import SECRET, _pg, server  # noqa: E402

from elior import clock  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402
from elior.settings import Settings  # noqa: E402
from elior.web.tokens import make_access_token  # noqa: E402

SEEDED, BURST, DAYS = 200, 50, 28
BUFFER = dt.timedelta(minutes=15)


async def people(url: str, clients: int) -> dict[str, Any]:
    """An admin, a trainer and their clients, each with a login and an access token."""
    db = Database(url)
    await db.connect()
    settings = Settings(secret_key=SECRET, access_token_expire_minutes=120)
    now = dt.datetime.now(dt.timezone.utc)
    try:
        await migrate(db)

        async def person(role: str, trainer_id: int | None = None) -> tuple[int, str]:
            user = await db.fetch_one("accounts.users.insert", email=f"{role}-{uuid.uuid4().hex[:10]}@bench.test",
                                      password_hash="x", full_name=f"Bench {role}", role=role, trainer_id=trainer_id,
                                      now=now)
            assert user is not None
            login = await db.fetch_val("accounts.auth.create_login", user_id=user["id"], now=now, user_agent="bench",
                                       address="127.0.0.1")
            return int(user["id"]), make_access_token(settings, user_id=user["id"], role=role, login_id=login)[0]

        admin, trainer = await person("admin"), await person("trainer")
        return {"admin": admin, "trainer": trainer, "clients": [await person("client", trainer[0])
                                                                 for _ in range(clients)]}
    finally:
        await db.disconnect()


def seed(client: Client, cast: dict[str, Any], first: dt.date) -> dict[str, Any]:
    admin, trainer_id = cast["admin"][1], cast["trainer"][0]
    kind = client.call("POST", "/api/session-types", {"name": "Personal training", "duration_minutes": 60,
                                                      "buffer_minutes": 15, "uses_credit": False}, admin, 201)
    week = {"weekly": [{"weekday": d, "start": "08:00", "end": "18:00"} for d in range(7)]}
    client.call("PUT", f"/api/trainers/{trainer_id}/availability", week, admin, 200)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    starts = [dt.datetime.combine(first + dt.timedelta(days=day), dt.time(8), tzinfo=berlin)
              + k * (dt.timedelta(hours=1) + BUFFER) for day in range(DAYS) for k in range(8)]
    booked = 0
    for n, start in enumerate(sorted(random.Random(19).sample(starts, SEEDED))):
        client.call("POST", "/api/appointments", {"type_id": kind["id"], "client_id": cast["clients"][n % 20][0],
                                                  "starts_at": clock.iso(start)}, admin, 201)
        booked += 1
    assert booked == SEEDED, f"only {booked} places fit in {DAYS} days"
    return kind


def statements(client: Client, admin: str) -> int:
    return int(client.call("GET", "/api/system/metrics", token=admin, expect=200)["database"]["queries"])


def bench_slots(client: Client, cast: dict[str, Any], kind: dict[str, Any], first: dt.date,
                requests: int) -> list[str]:
    admin, (trainer_id, _), (_, token) = cast["admin"][1], cast["trainer"], cast["clients"][0]
    last = first + dt.timedelta(days=DAYS - 1)
    path = f"/api/slots?trainer_id={trainer_id}&type={kind['id']}&from={first}&to={last}"
    client.call("GET", path, token=token, expect=200)  # the caller's session cached, as for any later request
    before = statements(client, admin)
    reading = statements(client, admin) - before
    found = client.call("GET", path, token=token, expect=200)["items"]
    per_request = statements(client, admin) - before - 2 * reading
    latencies = []
    for _ in range(requests):
        started = time.perf_counter()
        client.call("GET", path, token=token, expect=200)
        latencies.append(time.perf_counter() - started)
    ordered = sorted(latencies)

    def p(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return [f"slots, {DAYS} days, {SEEDED} appointments booked, {len(found)} free slots offered: p50 {p(0.5):.2f} ms, "
            f"p99 {p(0.99):.2f} ms, mean {statistics.mean(latencies) * 1000:.2f} ms over {requests} requests, "
            f"{per_request} statements/request (goal: p99 < 50 ms on SQLite)"]


def bench_burst(port: int, cast: dict[str, Any], kind: dict[str, Any], day: dt.date) -> list[str]:
    admin, trainer_id = cast["admin"][1], cast["trainer"][0]
    seeder = Client(port)
    offered = seeder.call("GET", f"/api/slots?trainer_id={trainer_id}&type={kind['id']}&from={day}&to={day}",
                          token=admin, expect=200)["items"]
    rng = random.Random(50)
    picks = [rng.choice(offered)["starts_at"] for _ in range(BURST)]
    connections = [Client(port) for _ in range(BURST)]
    for connection, (_, token) in zip(connections, cast["clients"][:BURST]):
        connection.call("GET", "/api/auth/me", token=token, expect=200)  # opened and signed in before the gate
    gate = threading.Barrier(BURST + 1)
    codes: list[int] = [0] * BURST

    def book(n: int) -> None:
        connection, (_, token) = connections[n], cast["clients"][n]
        gate.wait()
        connection.connection.request("POST", "/api/appointments", body=(
            f'{{"type_id": {kind["id"]}, "starts_at": "{picks[n]}"}}'), headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = connection.connection.getresponse()
        response.read()
        codes[n] = response.status

    with ThreadPoolExecutor(BURST) as pool:
        futures = [pool.submit(book, n) for n in range(BURST)]
        gate.wait()
        started = time.perf_counter()
        for future in futures:
            future.result()
        batch = time.perf_counter() - started
    listed = seeder.call("GET", f"/api/appointments?trainer_id={trainer_id}&from={day}&to={day}&limit=100",
                         token=admin, expect=200)["items"]
    spans = sorted((dt.datetime.fromisoformat(a["starts_at"]), dt.datetime.fromisoformat(a["ends_at"]))
                   for a in listed if a["status"] != "cancelled")
    overlaps = sum(1 for (_, end), (start, _) in zip(spans, spans[1:]) if start < end + BUFFER)
    for connection in [seeder, *connections]:
        connection.close()
    outcome = {code: codes.count(code) for code in sorted(set(codes))}
    assert set(outcome) <= {201, 409}, outcome
    assert overlaps == 0 and outcome.get(201, 0) == len(spans), (overlaps, outcome, len(spans))
    return [f"burst: {BURST} parallel bookings on one day: answered {outcome} in {batch * 1000:.0f} ms "
            f"({batch / BURST * 1000:.1f} ms each), {len(spans)} places booked, {overlaps} overlapping"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server URL (else a SQLite file)")
    parser.add_argument("--requests", type=int, default=500, help="slot searches to time")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="elior-bench-bookings-"))
    if args.postgresql:
        name = "elior_bench_bookings"
        asyncio.run(_pg(args.postgresql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
        url = re.sub(r"/[^/]*$", f"/{name}", args.postgresql)
    else:
        url = f"sqlite:///{workdir / 'bookings.db'}"
    cast = asyncio.run(people(url, BURST))
    first = dt.date.today() + dt.timedelta(days=1)
    os.environ["STUDIO_TIMEZONE"] = "Europe/Berlin"  # the server inherits it (programs.server copies os.environ)
    try:
        with server(url, workdir) as port:
            client = Client(port)
            started = time.perf_counter()
            kind = seed(client, cast, first)
            print(f"seeded {SEEDED} appointments through the API in {time.perf_counter() - started:.1f} s",
                  file=sys.stderr)
            lines = bench_slots(client, cast, kind, first, args.requests)
            client.close()
            lines += bench_burst(port, cast, kind, first + dt.timedelta(days=DAYS + 2))
    finally:
        if args.postgresql:
            asyncio.run(_pg(args.postgresql, 'DROP DATABASE IF EXISTS "elior_bench_bookings" WITH (FORCE)'))
    print(f"# bench/bookings.py, {'PostgreSQL' if args.postgresql else 'SQLite'}, "
          f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Live updates under load: 1,000 open sockets on one real uvicorn process, 100 events a second spread over them.

    python3 bench/live_updates.py [--sockets 1000] [--rate 100] [--seconds 20] [--database-url postgresql://...]

Seeds 10 trainers and sockets-10 clients (each client with one planned workout), starts uvicorn (one worker, uvloop,
the app of `python -m elior` plus one bench-only route that emits an event) on a free port, opens one /ws/workouts
socket per user, then runs two phases of `--seconds` each at `--rate` events a second, on random clients:

1. emit: the bench route calls `app.state.events.emit(...)`, stamping the server's time just before; latency is that
   stamp to the message's arrival at the client's socket (the hub, the recipients query, the stored notification,
   the fan-out and the socket; with PostgreSQL, NOTIFY and LISTEN too).
2. api: the client's trainer sends `PUT /api/workouts/{id}`; latency is the request's start to the message's
   arrival (the whole write: validation, transaction, commit, then the event).

Every event reaches two sockets (the client's and their trainer's); every message is counted, so a lost one shows.
The server's RSS (from /proc) is read before the sockets open, once they are open, and at the end. uvicorn runs with
the options `python -m elior serve` uses (`--ws-max-size 65536`, per-message deflate off); `--uvicorn-arg` adds more,
e.g. `--uvicorn-arg=--ws-per-message-deflate=true` to compare. BENCH_GC_TRACE=1 also reports the server's full
(generation 2) garbage-collection pauses; BENCH_GC_FREEZE=1 calls `gc.freeze()` once the app is built.
On PostgreSQL the bench creates a database of its own on that server and drops it afterwards.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import datetime as dt  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

from bench.common import free_port  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"
TRAINERS = 10


def server_app() -> Any:
    """`uvicorn --factory bench.live_updates:server_app`: the real app plus POST /bench/emit (bench only)."""
    from elior import settings as settings_module
    from elior.app import create_app
    from elior.live.events import Event
    from elior.ops import logs
    from elior.web.responses import JSONResponse
    from elior.web.routing import PUBLIC, Call, api

    loaded = settings_module.load()
    logs.configure(loaded.log_level)
    app = create_app(loaded)

    async def emit(call: Call) -> Any:
        body = await call.request.json()
        data = {"id": body["workout_id"], "title": "bench", "emitted_at": time.time()}
        await call.request.app.state.events.emit(Event("workout.updated", data, body["client_id"], None))
        return JSONResponse({"ok": True})

    pauses: list[float] = []
    started: list[float] = []

    def on_gc(stage: str, info: dict[str, Any]) -> None:
        if stage == "start":
            started[:] = [time.perf_counter()]
        elif started and info["generation"] == 2:
            pauses.append(time.perf_counter() - started[0])

    if os.environ.get("BENCH_GC_TRACE"):
        import gc
        gc.callbacks.append(on_gc)
    if os.environ.get("BENCH_GC_FREEZE"):
        import gc
        gc.freeze()

    async def gc_pauses(call: Call) -> Any:
        import gc
        return JSONResponse({"gen2": len(pauses), "max_ms": round(max(pauses, default=0) * 1000, 1),
                             "total_ms": round(sum(pauses) * 1000, 1), "tracked_objects": len(gc.get_objects())})

    app.router.routes.insert(0, api("POST", "/bench/emit", emit, access=PUBLIC, parse_body=False))
    app.router.routes.insert(0, api("GET", "/bench/gc", gc_pauses, access=PUBLIC))
    return app


class Http:
    """One keep-alive HTTP/1.1 connection: enough of the protocol for small JSON requests."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: Any, token: str | None = None) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        payload = json.dumps(body).encode()
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(payload)}",
                "Content-Type: application/json"] + ([f"Authorization: Bearer {token}"] if token else [])
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + payload)
        raw = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1")
        length = next((int(line.split(":")[1]) for line in raw.split("\r\n") if line.lower().startswith(
            "content-length:")), 0)
        await self.reader.readexactly(length)
        return int(raw.split()[1])

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def seed(url: str, sockets: int) -> list[dict[str, Any]]:
    """Trainers and clients written straight to the database, each with a login and an access token."""
    from elior import clock
    from elior.db.database import Database
    from elior.db.migrations import migrate
    from elior.settings import Settings
    from elior.web.tokens import make_access_token

    settings = Settings(secret_key=SECRET, access_token_expire_minutes=600)
    db = Database(url)
    await db.connect()
    people: list[dict[str, Any]] = []
    try:
        await migrate(db)
        for number in range(sockets):
            role = "trainer" if number < TRAINERS else "client"
            trainer = people[number % TRAINERS] if role == "client" else None
            row = await db.fetch_one("accounts.users.insert", email=f"{role}{number}@bench.test", password_hash="x",
                                     full_name=f"{role.title()} {number}", role=role,
                                     trainer_id=trainer["id"] if trainer else None, now=clock.now())
            assert row is not None
            login_id = await db.fetch_val("accounts.auth.create_login", user_id=row["id"], now=clock.now(),
                                          user_agent="bench", address="127.0.0.1")
            token, _ = make_access_token(settings, user_id=row["id"], role=role, login_id=login_id)
            person = {"id": row["id"], "role": role, "token": token, "trainer": trainer}
            if trainer is not None:
                workout = await db.fetch_one("training.workouts.insert", client_id=row["id"], trainer_id=trainer["id"],
                                             title="Bench day", notes=None, scheduled_for=dt.date(2026, 12, 1),
                                             status="planned", now=clock.now())
                assert workout is not None
                person["workout_id"] = workout["id"]
            people.append(person)
    finally:
        await db.disconnect()
    return people


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def start_server(url: str, data: Path, port: int, extra: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, ELIOR_DATA_DIR=str(data), SECRET_KEY=SECRET, RATE_LIMIT_PER_MINUTE="0",
               LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    with (data / "server.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "bench.live_updates:server_app",
                                    "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
                                    "--ws-max-size", "65536", "--ws-per-message-deflate", "false", *extra],
                                   cwd=ROOT, env=env, stdout=log, stderr=log)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


class Listener:
    """Every socket's receive loop writes here: per-phase latencies of the messages that carry a stamp."""

    def __init__(self) -> None:
        self.phase = "idle"
        self.latencies: dict[str, list[float]] = {"emit": [], "api": []}
        self.sent_at: dict[int, float] = {}  # api phase: workout id -> when its PUT started (last one wins)
        self.stray = 0

    def on_message(self, raw: str | bytes) -> None:
        now = time.time()
        message = json.loads(raw)
        if message["type"] != "workout.updated":
            self.stray += 1
        elif "emitted_at" in message["data"]:
            self.latencies["emit"].append(now - message["data"]["emitted_at"])
        elif message["data"].get("notes", "").startswith("bench "):
            self.latencies["api"].append(now - float(message["data"]["notes"].split()[1]))


async def hold_socket(port: int, token: str, listener: Listener, opened: asyncio.Event, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}/ws/workouts?token={token}", ping_interval=None,
                       open_timeout=60) as ws:
        opened.set()
        receiving = asyncio.ensure_future(_receive(ws, listener))
        await stop.wait()
        receiving.cancel()


async def _receive(ws: Any, listener: Listener) -> None:
    async for raw in ws:
        listener.on_message(raw)


async def phase(name: str, port: int, people: list[dict[str, Any]], rate: float, seconds: float,
                listener: Listener) -> tuple[int, int]:
    """Send `rate` events a second for `seconds` on an open loop; return (events sent, non-2xx answers)."""
    clients = [p for p in people if p["role"] == "client"]
    pool: asyncio.Queue[Http] = asyncio.Queue()
    for _ in range(8):
        pool.put_nowait(Http(port))
    failures = 0

    async def one(person: dict[str, Any]) -> None:
        nonlocal failures
        http = await pool.get()
        try:
            if name == "emit":
                status = await http.request("POST", "/bench/emit", {"client_id": person["id"],
                                                                     "workout_id": person["workout_id"]})
            else:
                status = await http.request("PUT", f"/api/workouts/{person['workout_id']}",
                                            {"notes": f"bench {time.time()}"}, person["trainer"]["token"])
            failures += status >= 300
        finally:
            pool.put_nowait(http)

    listener.phase = name
    tasks = []
    started = time.monotonic()
    total = int(rate * seconds)
    for number in range(total):
        await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
        tasks.append(asyncio.ensure_future(one(random.choice(clients))))
    await asyncio.gather(*tasks)
    await asyncio.sleep(2)  # let the last messages arrive
    while not pool.empty():
        pool.get_nowait().close()
    return total, failures


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def run(port: int, pid: int, people: list[dict[str, Any]], rate: float, seconds: float) -> dict[str, Any]:
    listener = Listener()
    stop = asyncio.Event()
    rss_before = rss_kb(pid)
    holders = []
    for start in range(0, len(people), 50):  # open in batches, as a crowd of browsers would, not all in one burst
        batch = []
        for person in people[start:start + 50]:
            opened = asyncio.Event()
            holders.append(asyncio.ensure_future(hold_socket(port, person["token"], listener, opened, stop)))
            batch.append(opened.wait())
        await asyncio.gather(*batch)
    await asyncio.sleep(3)
    rss_open = rss_kb(pid)
    results: dict[str, Any] = {"sockets": len(people), "rss_before_kb": rss_before, "rss_open_kb": rss_open}
    for name in ("emit", "api"):
        sent, failures = await phase(name, port, people, rate, seconds, listener)
        got = listener.latencies[name]
        results[name] = {"events": sent, "non_2xx": failures, "messages": len(got), "expected": 2 * sent,
                         "p50_ms": percentile(got, 0.50) * 1000 if got else None,
                         "p99_ms": percentile(got, 0.99) * 1000 if got else None,
                         "max_ms": max(got) * 1000 if got else None,
                         "mean_ms": statistics.fmean(got) * 1000 if got else None}
    results["rss_end_kb"] = rss_kb(pid)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/gc", timeout=10) as answer:
        results["gc"] = json.loads(answer.read())
    results["stray_messages"] = listener.stray
    stop.set()
    await asyncio.gather(*holders, return_exceptions=True)
    return results


async def _pg(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description="1,000 sockets, 100 events a second: delivery latency and memory")
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=100.0, help="events a second")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        help="postgresql://... (a database of the bench's own is made there); default SQLite")
    parser.add_argument("--uvicorn-arg", action="append", default=[],
                        help="passed to uvicorn, e.g. --uvicorn-arg=--ws-per-message-deflate=true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="elior-bench-ws-") as scratch:
        data = Path(scratch)
        url, admin_url = f"sqlite:///{data / 'bench.db'}", None
        if args.database_url.startswith("postgres"):
            admin_url = args.database_url
            parts = urlsplit(admin_url)
            name = f"elior_bench_{uuid.uuid4().hex[:8]}"
            asyncio.run(_pg(admin_url, f'CREATE DATABASE "{name}"'))
            url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
        try:
            people = asyncio.run(seed(url, args.sockets))
            port = free_port()
            server = start_server(url, data, port, args.uvicorn_arg)
            try:
                results = asyncio.run(run(port, server.pid, people, args.rate, args.seconds))
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if admin_url is not None:
                asyncio.run(_pg(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    dialect = "postgresql" if admin_url else "sqlite"
    print(f"\n{results['sockets']} sockets on one uvicorn process ({dialect}), {args.rate:g} events/s, "
          f"{args.seconds:g} s per phase; each event reaches 2 sockets")
    print(f"{'phase':<6} {'events':>7} {'non-2xx':>8} {'msgs':>7} {'expected':>9} {'p50 ms':>8} {'p99 ms':>8} "
          f"{'max ms':>8}")
    for name in ("emit", "api"):
        r = results[name]
        print(f"{name:<6} {r['events']:>7} {r['non_2xx']:>8} {r['messages']:>7} {r['expected']:>9} "
              f"{r['p50_ms']:>8.1f} {r['p99_ms']:>8.1f} {r['max_ms']:>8.1f}")
    per_thousand = (results["rss_open_kb"] - results["rss_before_kb"]) * 1000 / results["sockets"] / 1024
    print(f"server RSS: {results['rss_before_kb'] / 1024:.1f} MiB before the sockets, "
          f"{results['rss_open_kb'] / 1024:.1f} MiB with them open, {results['rss_end_kb'] / 1024:.1f} MiB at the "
          f"end: {per_thousand:.1f} MiB per 1,000 sockets")
    print(f"messages of an unexpected type (server pings of idle sockets): {results['stray_messages']}")
    if os.environ.get("BENCH_GC_TRACE"):
        print(f"server gen-2 GC pauses: {results['gc']}")
    print(f"goal p99 < 100 ms: emit {'met' if results['emit']['p99_ms'] < 100 else 'NOT met'}, "
          f"api {'met' if results['api']['p99_ms'] < 100 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

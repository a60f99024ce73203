"""Conversations under load: keyset pages of a 100,000-message thread, and live delivery of messages.

    python3 bench/conversations.py [--long 100000] [--rounds 300] [--sockets 1000] [--rate 50] [--seconds 20]
                                   [--database-url postgresql://...] [--skip-pages] [--skip-live]

Starts `python3 -m elior serve` (one uvicorn worker, rate limits off) on a free port with a database of its own, the
users and a long thread written straight to the database, then:

1. pages: `GET /api/conversations/{client}/messages?limit=50` at the newest end and at the oldest end (`before=` the
   51st message) of a thread of `--long` messages and of a thread of 100, in alternating rounds (one request of each
   case per round), on one keep-alive connection. Goal: each end of the long thread within 2x the short thread's
   p99 (keyset paging through messages_thread costs the same anywhere in a thread).
2. live: 500 clients in 250 trainers' care (two each), every client with one socket and every trainer with two (a
   phone and a laptop): `--sockets` sockets on /ws/notifications. Messages go at `--rate` a second through
   `POST /api/conversations/{client}/messages`, on 500 threads, sent by the client or the trainer in turn; each
   reaches three sockets. Latency is the request's start to a message's arrival at each socket (the whole write:
   the thread's lock, the insert, the commit, the hub, on PostgreSQL NOTIFY and LISTEN). Goal: p99 < 100 ms.
On PostgreSQL the bench creates a database of its own on that server and drops it afterwards.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import urllib.request  # noqa: E402
import uuid  # noqa: E402
from typing import Any  # noqa: E402
from urllib.parse import urlsplit, urlunsplit  # noqa: E402

from bench.common import Client, cpu_seconds, free_port  # noqa: E402
from bench.live_updates import Http, _pg, percentile  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"
SHORT = 100
PAGE = 50
LIVE_CLIENTS, LIVE_TRAINERS, TRAINER_SOCKETS = 500, 250, 2


async def seed(url: str, long: int, live: bool) -> dict[str, Any]:
    """The cast written straight to the database: a trainer with a long and a short thread, and the live crowd."""
    from elior import clock
    from elior.db.database import Database
    from elior.db.migrations import migrate
    from elior.settings import Settings
    from elior.web.tokens import make_access_token

    settings = Settings(secret_key=SECRET, access_token_expire_minutes=600)
    db = Database(url)
    await db.connect()

    async def person(role: str, name: str, trainer_id: int | None = None) -> dict[str, Any]:
        row = await db.fetch_one("accounts.users.insert", email=f"{name}@bench.test", password_hash="x",
                                 full_name=name, role=role, trainer_id=trainer_id, now=clock.now())
        assert row is not None
        login_id = await db.fetch_val("accounts.auth.create_login", user_id=row["id"], now=clock.now(),
                                      user_agent="bench", address="127.0.0.1")
        token, _ = make_access_token(settings, user_id=row["id"], role=role, login_id=login_id)
        return {"id": row["id"], "role": role, "token": token, "trainer_id": trainer_id}

    async def thread(client: dict[str, Any], trainer: dict[str, Any], count: int) -> None:
        scope = {"caller_id": client["id"], "caller_role": "client"}
        async with db.transaction():
            await db.fetch_val("conversations.threads.open", client_id=client["id"], now=clock.now(), **scope)
        for start in range(0, count, 1000):
            rows = [{"client_id": client["id"], "caller_id": (client if n % 2 else trainer)["id"],
                     "body": f"message {n}: how did the session go, and how are the knees today?", "now": clock.now()}
                    for n in range(start, min(count, start + 1000))]
            await db.execute_many("conversations.messages.insert", rows)
        last = await db.fetch_val("conversations.messages.newest_of", client_id=client["id"])
        await db.execute("conversations.threads.touch", client_id=client["id"], message_id=last, now=clock.now())

    try:
        await migrate(db)
        coach = await person("trainer", "coach")
        cast: dict[str, Any] = {"coach": coach, "long": await person("client", "long", coach["id"]),
                                "short": await person("client", "short", coach["id"]),
                                "counts": {"long": long, "short": SHORT}}
        await thread(cast["long"], coach, long)
        await thread(cast["short"], coach, SHORT)
        cast["pairs"] = []
        if live:
            trainers = [await person("trainer", f"trainer{n}") for n in range(LIVE_TRAINERS)]
            for n in range(LIVE_CLIENTS):
                trainer = trainers[n % LIVE_TRAINERS]
                cast["pairs"].append((await person("client", f"client{n}", trainer["id"]), trainer))
    finally:
        await db.disconnect()
    return cast


def start_server(url: str, data: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, ELIOR_DATA_DIR=str(data), UPLOAD_DIR=str(data / "uploads"),
               SECRET_KEY=SECRET, RATE_LIMIT_PER_MINUTE="0", LOG_LEVEL="WARNING", MAX_CONNECTIONS="4000",
               PYTHONPATH=str(ROOT))
    with (data / "server.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=log)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)  # noqa: S310 - loopback
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.1)
    process.terminate()
    raise SystemExit("the server did not start")


# --- 1. pages ---

def pages(port: int, pid: int, cast: dict[str, Any], rounds: int) -> dict[str, dict[str, float]]:
    http = Client(port)
    token = cast["coach"]["token"]
    cases: dict[str, str] = {}
    for name in ("long", "short"):
        client_id = cast[name]["id"]
        newest = http.call("GET", f"/api/conversations/{client_id}/messages?limit=1", token=token, expect=200)
        top = newest["items"][0]["id"]
        count = cast["counts"][name]
        cases[f"{name} newest"] = f"/api/conversations/{client_id}/messages?limit={PAGE}"
        # The oldest end: `before` the 51st message, so the page is the thread's first 50.
        oldest_before = top - count + PAGE + 1
        cases[f"{name} oldest"] = f"/api/conversations/{client_id}/messages?limit={PAGE}&before={oldest_before}"
    for path in cases.values():  # warm up, and check each page is whole
        assert len(http.call("GET", path, token=token, expect=200)["items"]) == PAGE, path
    timings: dict[str, list[float]] = {name: [] for name in cases}
    cpu_before = cpu_seconds(pid)
    for _ in range(rounds):
        for name, path in cases.items():
            started = time.perf_counter()
            http.call("GET", path, token=token, expect=200)
            timings[name].append(time.perf_counter() - started)
    cpu = cpu_seconds(pid) - cpu_before
    http.close()
    timings["short"] = timings["short newest"] + timings["short oldest"]  # the baseline: both ends of 100
    result = {name: {"p50_ms": percentile(t, 0.5) * 1000, "p99_ms": percentile(t, 0.99) * 1000} for name, t in
              timings.items()}
    result["server"] = {"cpu_us_per_request": cpu / (rounds * len(cases)) * 1e6}
    return result


# --- 2. live ---

class Heard:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.other = 0

    def on(self, raw: str | bytes) -> None:
        now = time.time()
        message = json.loads(raw)
        if message["type"] == "message.created" and message["data"]["body"].startswith("bench "):
            self.latencies.append(now - float(message["data"]["body"].split()[1]))
        else:
            self.other += 1


async def hold(port: int, token: str, heard: Heard, opened: asyncio.Event, stop: asyncio.Event) -> None:
    from websockets.asyncio.client import connect

    async with connect(f"ws://127.0.0.1:{port}/ws/notifications?token={token}", ping_interval=None,
                       open_timeout=60) as ws:
        opened.set()

        async def receive() -> None:
            async for raw in ws:
                heard.on(raw)

        receiving = asyncio.ensure_future(receive())
        await stop.wait()
        receiving.cancel()


async def live(port: int, cast: dict[str, Any], rate: float, seconds: float) -> dict[str, Any]:
    heard, stop = Heard(), asyncio.Event()
    tokens = [client["token"] for client, _ in cast["pairs"]]
    trainers = {trainer["id"]: trainer["token"] for _, trainer in cast["pairs"]}
    tokens += [token for token in trainers.values() for _ in range(TRAINER_SOCKETS)]
    holders = []
    for start in range(0, len(tokens), 50):  # open in batches, as a crowd of browsers would
        batch = []
        for token in tokens[start:start + 50]:
            opened = asyncio.Event()
            holders.append(asyncio.ensure_future(hold(port, token, heard, opened, stop)))
            batch.append(opened.wait())
        await asyncio.gather(*batch)
    await asyncio.sleep(2)
    pool: asyncio.Queue[Http] = asyncio.Queue()
    for _ in range(8):
        pool.put_nowait(Http(port))
    failures = 0

    async def one(number: int) -> None:
        nonlocal failures
        client, trainer = cast["pairs"][number % len(cast["pairs"])]
        sender = client if (number // len(cast["pairs"])) % 2 == 0 else trainer
        http = await pool.get()
        try:
            status = await http.request("POST", f"/api/conversations/{client['id']}/messages",
                                        {"body": f"bench {time.time()}"}, sender["token"])
            failures += status != 201
        finally:
            pool.put_nowait(http)

    total, started, tasks = int(rate * seconds), time.monotonic(), []
    for number in range(total):
        await asyncio.sleep(max(0.0, started + number / rate - time.monotonic()))
        tasks.append(asyncio.ensure_future(one(number)))
    await asyncio.gather(*tasks)
    await asyncio.sleep(2)
    stop.set()
    await asyncio.gather(*holders, return_exceptions=True)
    while not pool.empty():
        pool.get_nowait().close()
    got = heard.latencies
    return {"sockets": len(tokens), "messages_sent": total, "non_201": failures, "deliveries": len(got),
            "expected": total * (1 + TRAINER_SOCKETS), "other_messages": heard.other,
            "p50_ms": percentile(got, 0.5) * 1000 if got else None,
            "p99_ms": percentile(got, 0.99) * 1000 if got else None, "max_ms": max(got) * 1000 if got else None}


def main() -> int:
    parser = argparse.ArgumentParser(description="keyset pages of a long thread; live delivery of messages")
    parser.add_argument("--long", type=int, default=100_000, help="messages in the long thread")
    parser.add_argument("--rounds", type=int, default=300, help="requests of each page case")
    parser.add_argument("--rate", type=float, default=50.0, help="messages a second in the live phase")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of the live phase")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""),
                        help="postgresql://... (a database of the bench's own is made there); default SQLite")
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--skip-live", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="elior-bench-conversations-") as scratch:
        data = Path(scratch)
        url, admin_url, name = f"sqlite:///{data / 'bench.db'}", None, ""
        if args.database_url.startswith("postgres"):
            admin_url = args.database_url
            parts = urlsplit(admin_url)
            name = f"elior_bench_{uuid.uuid4().hex[:8]}"
            asyncio.run(_pg(admin_url, f'CREATE DATABASE "{name}"'))
            url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))
        try:
            seeded = time.monotonic()
            cast = asyncio.run(seed(url, args.long, not args.skip_live))
            print(f"seeded {args.long:,} + {SHORT} messages and {len(cast['pairs'])} live threads in "
                  f"{time.monotonic() - seeded:.1f} s")
            port = free_port()
            server = start_server(url, data, port)
            try:
                paged = None if args.skip_pages else pages(port, server.pid, cast, args.rounds)
                heard = None if args.skip_live else asyncio.run(live(port, cast, args.rate, args.seconds))
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            if admin_url is not None:
                asyncio.run(_pg(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    dialect = "postgresql" if admin_url else "sqlite"
    if paged is not None:
        print(f"\npages of {PAGE} ({dialect}, one uvicorn worker, {args.rounds} rounds, "
              f"{paged['server']['cpu_us_per_request']:.0f} us server CPU a request)")
        print(f"{'case':<14} {'p50 ms':>8} {'p99 ms':>8} {'p99 / short':>12}")
        base = paged["short"]["p99_ms"]
        for case in ("long newest", "long oldest", "short newest", "short oldest"):
            r = paged[case]
            print(f"{case:<14} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} {r['p99_ms'] / base:>11.2f}x")
        worst = max(paged["long newest"]["p99_ms"], paged["long oldest"]["p99_ms"]) / base
        print(f"{'short (both)':<14} {paged['short']['p50_ms']:>8.2f} {base:>8.2f} {1:>11.2f}x")
        print(f"goal: the long thread's p99 within 2x the short one's: {'met' if worst <= 2 else 'NOT met'} "
              f"({worst:.2f}x)")
    if heard is not None:
        print(f"\nlive ({dialect}): {heard['sockets']} sockets, {heard['messages_sent']} messages at "
              f"{args.rate:g}/s over {LIVE_CLIENTS} threads, each to {1 + TRAINER_SOCKETS} sockets")
        print(f"non-201: {heard['non_201']}; deliveries {heard['deliveries']} of {heard['expected']}; "
              f"other messages {heard['other_messages']}")
        if heard["p99_ms"] is not None:
            print(f"delivery p50 {heard['p50_ms']:.1f} ms, p99 {heard['p99_ms']:.1f} ms, max {heard['max_ms']:.1f} ms;"
                  f" goal p99 < 100 ms: {'met' if heard['p99_ms'] < 100 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

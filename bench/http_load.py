"""The whole server from outside, uncached: `python3 -m elior serve` driven by wrk at 1, 10 and 50 connections.

    python3 bench/http_load.py [--seconds 5] [--rounds 1] [--postgresql postgresql://postgres@127.0.0.1:5432/test]

Starts the server as the README does (one uvicorn worker, a temporary data folder, SQLite unless `--postgresql`
names a server, on which a database of the run's own is created and dropped), with rate limits off and
`CACHE_TTL_SCALE=0` so that no in-process TTL cache answers for the database. Seeds a studio through the API: the
admin from `ELIOR_ADMIN_EMAIL`, a trainer, clients, 50 workouts of 5 exercise rows and 20 progress entries for one
client, and a pool of logins per endpoint (each request takes the next token, each single GET the next workout).
Then, in each round, for each connection count, every endpoint in turn for `--seconds`:

    /health; GET /api/auth/me; a client's GET /api/progress?limit=20; a trainer's
    GET /api/workouts?client_id=..&limit=20; GET /api/workouts/{id}; POST /api/progress (a new client and date each)

A wrk Lua script counts the answers by status: only 2xx count, and a run with any other answer is marked INVALID.
Printed per run: req/s, p50, p99, the ratio to /health in the same round and at the same concurrency, the server's
CPU microseconds per request (utime+stime from /proc/PID/stat, a figure that survives a noisy machine), the SQL
statements per request and the cache hits seen in /api/system/metrics (both should read as the endpoint's true cost:
hits must stay 0), and the share of the machine's CPU time the hypervisor stole during the run (/proc/stat's steal:
a p99 met on a quiet host can be missed on a busy one, with the server doing the same work). `--root` runs another
checkout of the project (for before/after figures).

Not named `bench/http.py`: a script's own folder comes first on `sys.path`, so a `bench/http.py` would stand in for
the standard library's `http` in every script here (`import starlette` fails in `bench/db.py`, measured).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from common import Client, cpu_seconds, cpu_ticks, free_port, steal_share

ROOT = Path(__file__).resolve().parent.parent
ADMIN, PASSWORD = "admin@bench.test", "bench admin password"
ENDPOINTS = ("health", "me", "progress list", "workouts list", "workout get", "progress write")
WRITE_CLIENTS = 100  # (client, date) pairs: 100 clients x one date a day back from today, never the same twice
LUA = (Path(__file__).resolve().parent / "http_load.lua").read_text()


def lua_list(values: list[Any]) -> str:
    return ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in values)


def seed(port: int, logins: int) -> dict[str, Any]:
    """A studio made through the API, as a user would make it; returns what the scripts send."""
    api = Client(port)
    admin = api.call("POST", "/api/auth/login", {"email": ADMIN, "password": PASSWORD}, expect=200)["access_token"]
    tag = uuid.uuid4().hex[:6]

    def person(role: str, name: str, token: str) -> dict[str, Any]:
        email = f"{name}-{tag}@bench.test"
        user = api.call("POST", "/api/users", {"email": email, "password": PASSWORD, "full_name": name.title(),
                                               "role": role}, token=token, expect=201)
        return {"id": user["id"], "email": email}

    def sign_in(email: str, count: int) -> list[str]:
        return [api.call("POST", "/api/auth/login", {"email": email, "password": PASSWORD}, expect=200)
                ["access_token"] for _ in range(count)]

    trainer = person("trainer", "trainer", admin)
    trainer_token = sign_in(trainer["email"], 1)[0]
    client = person("client", "client", trainer_token)
    writers = [person("client", f"writer{i}", trainer_token)["id"] for i in range(WRITE_CLIENTS)]
    exercises = [api.call("POST", "/api/exercises", {"name": f"Exercise {tag} {i}", "muscle_group": "legs",
                                                      "equipment": "barbell"}, token=trainer_token, expect=201)["id"]
                 for i in range(10)]
    first = dt.date.today() - dt.timedelta(days=60)
    workouts = []
    for i in range(50):
        rows = [{"exercise_id": exercises[(i + j) % len(exercises)], "sets": 3 + j % 3, "reps": 8 + j,
                 "weight_kg": 40 + 2.5 * j, "rest_seconds": 90, "notes": f"row {j}"} for j in range(5)]
        workouts.append(api.call("POST", "/api/workouts", {
            "client_id": client["id"], "title": f"Session {i}", "notes": "strength block",
            "scheduled_for": (first + dt.timedelta(days=i)).isoformat(), "exercises": rows,
        }, token=trainer_token, expect=201)["id"])
    for i in range(20):
        api.call("POST", "/api/progress", {
            "client_id": client["id"], "date": (first + dt.timedelta(days=3 * i)).isoformat(),
            "weight_kg": 80 - i * 0.3, "body_fat_pct": 22 - i * 0.1, "notes": "weekly check-in",
            "measurements": {"chest_cm": 100, "waist_cm": 85 - i * 0.2, "hips_cm": 98, "arm_cm": 35, "thigh_cm": 58},
        }, token=trainer_token, expect=201)
    seeded = {"admin": admin, "client": client["id"], "workouts": workouts, "writers": writers,
              "client_tokens": sign_in(client["email"], logins), "trainer_tokens": sign_in(trainer["email"], logins)}
    api.close()
    return seeded


def scripts(seeded: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per endpoint: the tokens it rotates through, its paths, and the clients it writes for."""
    client, trainer = seeded["client_tokens"], seeded["trainer_tokens"]
    half = len(client) // 2
    return {
        "health": {"tokens": [], "paths": ["/health"]},
        "me": {"tokens": client[:half], "paths": ["/api/auth/me"]},
        "progress list": {"tokens": client[half:], "paths": ["/api/progress?limit=20"]},
        "workouts list": {"tokens": trainer[:half], "paths": [f"/api/workouts?client_id={seeded['client']}&limit=20"]},
        "workout get": {"tokens": trainer[half:], "paths": [f"/api/workouts/{w}" for w in seeded["workouts"]]},
        "progress write": {"tokens": trainer, "paths": ["/api/progress"], "clients": seeded["writers"]},
    }


class Bench:
    def __init__(self, port: int, pid: int, seeded: dict[str, Any], folder: Path, seconds: int) -> None:
        self.port, self.pid, self.seeded, self.folder, self.seconds = port, pid, seeded, folder, seconds
        self.scripts = scripts(seeded)
        self.written = 0  # writes sent so far: the next run's first (client, date) comes after them

    def counters(self) -> tuple[int, int]:
        """(SQL statements, cache hits) so far, as the server counts them."""
        reader = Client(self.port)  # a new connection each time: the server closes one idle through a run
        figures = reader.call("GET", "/api/system/metrics", token=self.seeded["admin"], expect=200)
        reader.close()
        hits = sum(int(cache.get("hits", 0)) for cache in (figures.get("caches") or {}).values())
        return int(figures.get("database", {}).get("queries", 0)), hits

    def run(self, endpoint: str, connections: int, seconds: int) -> dict[str, Any]:
        spec = self.scripts[endpoint]
        writes = bool(spec.get("clients"))
        script = self.folder / f"{endpoint.replace(' ', '_')}.lua"
        filled = {"tokens": lua_list(spec["tokens"]), "paths": lua_list(spec["paths"]),
                  "clients": lua_list(spec.get("clients", [])), "offset": str(self.written if writes else 0),
                  "threads": "1", "today": str(int(time.time()) // 86400 * 86400)}
        script.write_text(re.sub(r"\{\{ (\w+) \}\}", lambda match: filled[match.group(1)], LUA))
        queries_before, hits_before = self.counters()
        cpu_before, ticks_before = cpu_seconds(self.pid), cpu_ticks()
        output = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
                                 str(script), f"http://127.0.0.1:{self.port}/"],
                                capture_output=True, text=True, check=True).stdout
        cpu, steal = cpu_seconds(self.pid) - cpu_before, steal_share(ticks_before, cpu_ticks())
        queries_after, hits_after = self.counters()
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        good, wrong, issued, duration_us, p50, p99, socket_errors = (int(x) for x in line.split()[1:])
        if writes:
            self.written += issued + connections  # sent ones may still be in flight: skip past every one of them
        answered = max(good + wrong, 1)
        return {"endpoint": endpoint, "connections": connections, "rps": good / (duration_us / 1e6),
                "p50": p50 / 1000, "p99": p99 / 1000, "non2xx": wrong + socket_errors,
                "cpu_us": cpu / answered * 1e6, "queries": (queries_after - queries_before) / answered,
                "hits": hits_after - hits_before, "steal": steal * 100}


def start_server(root: Path, folder: Path, database_url: str | None) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "ELIOR_DATA_DIR": str(folder / "data"), "RATE_LIMIT_PER_MINUTE": "0",
           "LOG_LEVEL": "WARNING", "BCRYPT_ROUNDS": "4", "CACHE_TTL_SCALE": "0",
           "ACCESS_TOKEN_EXPIRE_MINUTES": "600",  # the seeded tokens must outlive every round
           "ELIOR_ADMIN_EMAIL": ADMIN, "ELIOR_ADMIN_PASSWORD": PASSWORD, "PYTHONPATH": str(root)}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    log = open(folder / "server.log", "wb")
    server = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(port)], cwd=root, env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited during start-up:\n{(folder / 'server.log').read_text()[-2000:]}")
        try:
            probe = Client(port)
            probe.call("GET", "/health", expect=200)
            probe.close()
            return server, port
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer /health within 60 s")


async def _pg(url: str, statement: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def print_table(results: list[dict[str, Any]], title: str) -> None:
    print(f"\n{title}")
    print(f"{'endpoint':<16}{'conns':>6}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'x health':>10}{'CPU us/req':>12}"
          f"{'SQL/req':>9}{'hits':>6}{'steal %':>8}{'non-2xx':>9}")
    for r in results:
        flag = "  INVALID" if r["non2xx"] else ""
        print(f"{r['endpoint']:<16}{r['connections']:>6}{r['rps']:>9,.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}"
              f"{r['ratio']:>9.2f}x{r['cpu_us']:>12,.0f}{r['queries']:>9.2f}{r['hits']:>6}{r['steal']:>8.1f}"
              f"{r['non2xx']:>9}{flag}")


def median_of(rounds: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Per endpoint and concurrency, the median of each figure over the rounds (non-2xx and hits: the sum)."""
    merged = []
    for runs in zip(*rounds):
        row = dict(runs[0])
        for key in ("rps", "p50", "p99", "ratio", "cpu_us", "queries", "steal"):
            row[key] = statistics.median(r[key] for r in runs)
        row["non2xx"], row["hits"] = sum(r["non2xx"] for r in runs), sum(r["hits"] for r in runs)
        merged.append(row)
    return merged


def goals(results: list[dict[str, Any]]) -> None:
    """Issue 13's goals, read at 50 connections (SQLite, one worker)."""
    at = {(r["endpoint"], r["connections"]): r for r in results}
    if len({r["endpoint"] for r in results}) < len(ENDPOINTS) or ("health", 50) not in at or ("health", 1) not in at:
        return
    checks = []
    for endpoint, least in (("me", 0.6), ("workout get", 0.6), ("progress list", 0.4), ("workouts list", 0.4),
                            ("progress write", 0.25)):
        r = at[(endpoint, 50)]
        checks.append((f"{endpoint} >= {least}x /health at c50", r["ratio"] >= least, f"{r['ratio']:.2f}x"))
    for endpoint in ENDPOINTS:
        r50, r1 = at[(endpoint, 50)], at[(endpoint, 1)]
        checks.append((f"{endpoint}: c50 >= 0.9x c1", r50["rps"] >= 0.9 * r1["rps"], f"{r50['rps'] / r1['rps']:.2f}x"))
        if endpoint not in ("health", "progress write"):
            limit = 3 * at[("health", 50)]["p99"]
            checks.append((f"{endpoint}: p99 <= 3x /health's at c50", r50["p99"] <= limit,
                           f"{r50['p99']:.1f} vs {limit:.1f} ms"))
    print("\ngoals (issue 13)")
    for name, met, figure in checks:
        print(f"  {'met   ' if met else 'MISSED'} {name:<42} {figure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--connections", default="1,10,50")
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server; the run makes its own database")
    parser.add_argument("--logins", type=int, default=40, help="signed-in sessions per role, rotated per request")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout of the project to start")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of each endpoint before measuring")
    parser.add_argument("--endpoints", default=",".join(ENDPOINTS), help="a comma-separated subset (health first)")
    args = parser.parse_args()
    connections = [int(c) for c in args.connections.split(",")]
    endpoints = ["health", *(e for e in args.endpoints.split(",") if e in ENDPOINTS and e != "health")]
    database_url = None
    if args.postgresql:
        name = f"elior_bench_{os.getpid()}"
        parts = urlsplit(args.postgresql)
        database_url = urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))
        asyncio.run(_pg(args.postgresql, f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory(prefix="elior-bench-") as folder:
            server, port = start_server(args.root.resolve(), Path(folder), database_url)
            try:
                bench = Bench(port, server.pid, seed(port, args.logins), Path(folder), args.seconds)
                for endpoint in endpoints:
                    bench.run(endpoint, 10, args.warmup)
                rounds = []
                for number in range(1, args.rounds + 1):
                    results = []
                    for count in connections:
                        runs = [bench.run(endpoint, count, args.seconds) for endpoint in endpoints]
                        for r in runs:
                            r["ratio"] = r["rps"] / runs[0]["rps"]
                        results += runs
                    rounds.append(results)
                    print_table(results, f"round {number}: {'PostgreSQL' if database_url else 'SQLite'}, one worker, "
                                f"wrk -t1 -d{args.seconds:g}s, only 2xx counted")
                if args.rounds > 1:
                    print_table(median_of(rounds), f"median of {args.rounds} rounds")
                goals(median_of(rounds))
                moved = (Path(folder) / "server.log").read_text(errors="replace").count("ran long on the event loop")
                if moved:  # a statement the host stalled 3 times in a row now runs on a thread: not this code's cost
                    print(f"\nnote: the server moved {moved} statement(s) off the event loop during the run")
            finally:
                server.terminate()
                server.wait(timeout=30)
    finally:
        if args.postgresql:
            asyncio.run(_pg(args.postgresql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()

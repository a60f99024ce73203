"""Every benchmark of the project in one run, one table: requests/s and p99 against a real uvicorn process.

    python3 bench/run_all.py [--seconds 4] [--rounds 3] [--connections 16] [--no-storm] [--no-db]

Starts `python -m elior serve` (one worker, uvloop + httptools, the default LOG_LEVEL=INFO access log to a file;
rate limits off, since one token from one address is the whole load) on a free port with a fresh SQLite database
(or BENCH_DATABASE_URL), seeds a trainer with 25 clients and 25 exercises, then drives each endpoint with `wrk`,
in alternating rounds:
`/health`, an authenticated single GET, two authenticated 20-item lists and a write. Every figure's ratio to
`/health` is measured in the same run. Then `bench/db.py` (per-query cost) and `bench/login_storm.py` (bcrypt
under load), when present, are run and their tables printed below.

Goals on this machine, one worker: the authenticated list >= 0.4x `/health`, the single GET >= 0.5x.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from common import free_port  # noqa: E402

from elior import clock  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402
from elior.settings import Settings  # noqa: E402
from elior.web.tokens import make_access_token  # noqa: E402

SECRET = "bench-secret-key-that-is-long-enough-for-hs256-signing"
GOALS = {"authenticated 20-item list (clients)": 0.4, "authenticated single GET": 0.5}


@dataclass
class Figure:
    name: str
    method: str
    path: str
    requests_per_second: float
    p99_ms: float
    non_2xx: int


async def seed(url: str, clients: int = 25) -> dict[str, object]:
    """A trainer with `clients` clients, written through the project's own layer; the trainer's access token."""
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
        trainer = await db.fetch_one("accounts.users.insert", email="trainer@bench.test", password_hash="x",
                                     full_name="Bench Trainer", role="trainer", trainer_id=None, now=clock.now())
        assert trainer is not None
        client_ids = []
        for number in range(clients):
            row = await db.fetch_one("accounts.users.insert", email=f"client{number}@bench.test", password_hash="x",
                                     full_name=f"Client {number}", role="client", trainer_id=trainer["id"],
                                     now=clock.now())
            assert row is not None
            client_ids.append(row["id"])
        login_id = await db.fetch_val("accounts.auth.create_login", user_id=trainer["id"], now=clock.now(),
                                      user_agent="bench", address="127.0.0.1")
    finally:
        await db.disconnect()
    token, _ = make_access_token(Settings(secret_key=SECRET, access_token_expire_minutes=600),
                                 user_id=trainer["id"], role="trainer", login_id=login_id)
    return {"token": token, "client_id": client_ids[0]}


def start_server(url: str, data: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, DATABASE_URL=url, ELIOR_DATA_DIR=str(data), SECRET_KEY=SECRET, RATE_LIMIT_PER_MINUTE="0",
               ACCESS_TOKEN_EXPIRE_MINUTES="600", PYTHONPATH=str(ROOT))
    with (data / "server.log").open("wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
    import urllib.request

    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"the server exited:\n{(data / 'server.log').read_text()[-2000:]}")
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("the server did not start")


def request(port: int, method: str, path: str, token: str | None = None, body: str | None = None) -> int:
    import urllib.request

    headers = {"Content-Type": "application/json"} if body else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method, headers=headers,
                                 data=body.encode() if body else None)
    with urllib.request.urlopen(req, timeout=10) as response:
        return int(response.status)


def wrk(port: int, name: str, method: str, path: str, seconds: int, connections: int, token: str | None,
        body: str | None, scratch: Path) -> Figure:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if token:
        command += ["-H", f"Authorization: Bearer {token}"]
    if body is not None:
        script = scratch / "post.lua"
        script.write_text(f'wrk.method = "{method}"\nwrk.body = [[{body}]]\n'
                          'wrk.headers["Content-Type"] = "application/json"\n')
        command += ["-s", str(script)]
    output = subprocess.run([*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                            check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", output)
    assert p99 is not None, output
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    return Figure(name, method, path, rps, float(p99.group(1)) * scale, int(bad.group(1)) if bad else 0)


def median_figure(rounds: list[Figure]) -> Figure:
    first = rounds[0]
    return Figure(first.name, first.method, first.path,
                  statistics.median(f.requests_per_second for f in rounds),
                  statistics.median(f.p99_ms for f in rounds), sum(f.non_2xx for f in rounds))


def main() -> int:
    parser = argparse.ArgumentParser(description="all of the project's benchmarks, one table")
    parser.add_argument("--seconds", type=int, default=4, help="length of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="turns each endpoint takes; figures are medians")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-storm", action="store_true", help="skip bench/login_storm.py")
    parser.add_argument("--no-db", action="store_true", help="skip bench/db.py")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian: apt-get install wrk)")

    with tempfile.TemporaryDirectory(prefix="elior-bench-") as folder:
        data = Path(folder)
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{data / 'elior.db'}"
        seeded = asyncio.run(seed(url))
        token, client_id = str(seeded["token"]), seeded["client_id"]
        port = free_port()
        server = start_server(url, data, port)
        try:
            exercise = '{"name": "Bench press", "muscle_group": "chest", "equipment": "barbell"}'
            workout = f'{{"client_id": {client_id}, "title": "Bench day", "scheduled_for": "2026-12-01"}}'
            for _ in range(25):
                assert request(port, "POST", "/api/exercises", token, exercise) == 201
            runs = [
                ("/health", "GET", "/health", None, None),
                ("authenticated single GET", "GET", f"/api/users/{client_id}", token, None),
                ("authenticated 20-item list (clients)", "GET", "/api/users?limit=20", token, None),
                ("authenticated 20-item list (exercises)", "GET", "/api/exercises?limit=20", token, None),
                # The write goes to a table none of the lists reads, so the lists' sizes stay as seeded.
                ("write (POST /api/workouts)", "POST", "/api/workouts", token, workout),
            ]
            for _, method, path, run_token, body in runs:
                assert request(port, method, path, run_token, body) in (200, 201), path  # the real answer, not 4xx
            # Rounds that take turns, each figure the median of its rounds: load from elsewhere on the machine then
            # weighs on every endpoint alike, and the ratios stay meaningful.
            samples: dict[str, list[Figure]] = {name: [] for name, *_ in runs}
            for _ in range(args.rounds):
                for name, method, path, run_token, body in runs:
                    samples[name].append(wrk(port, name, method, path, args.seconds, args.connections, run_token,
                                             body, data))
            figures = [median_figure(samples[name]) for name, *_ in runs]
        finally:
            server.terminate()
            server.wait(30)

    health = figures[0].requests_per_second
    print(f"\nHTTP, one uvicorn worker, wrk -t1 -c{args.connections} -d{args.seconds}s, median of {args.rounds} "
          f"alternating rounds "
          f"({'BENCH_DATABASE_URL' if os.environ.get('BENCH_DATABASE_URL') else 'SQLite'})")
    print(f"{'endpoint':<40} {'req/s':>9} {'p99 ms':>8} {'vs /health':>11} {'goal':>6} {'non-2xx':>8}")
    for figure in figures:
        ratio = figure.requests_per_second / health
        goal = GOALS.get(figure.name)
        mark = "" if goal is None else (f">={goal}" + (" ok" if ratio >= goal else " MISS"))
        print(f"{figure.name:<40} {figure.requests_per_second:9.0f} {figure.p99_ms:8.2f} {ratio:10.2f}x "
              f"{mark:>6} {figure.non_2xx:8d}")

    if not args.no_db and (ROOT / "bench" / "db.py").exists():
        print("\nDatabase layer (bench/db.py):", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "db.py")], check=False)
    if not args.no_storm and (ROOT / "bench" / "login_storm.py").exists():
        print("\nLogin storm (bench/login_storm.py --storm 50 --seconds 5):", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "login_storm.py"), "--storm", "50", "--seconds", "5"],
                       check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())

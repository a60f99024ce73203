"""Does the workout list and the exercise history stay fast as a studio's history grows?

    python3 bench/training.py                                  # SQLite
    python3 bench/training.py --postgresql postgresql://postgres@127.0.0.1:5432/postgres

Seeds two databases with bench/seed_training.py (200 clients each; 1,000 workouts and 10,000 set rows, against
100,000 workouts and 1,000,000 set rows), starts a real uvicorn server on each, and drives both with wrk, alternating
between them round by round so that a noisy machine hurts both alike. Measures the p99 of
`GET /api/workouts?client_id=...&limit=20` and of `GET /api/exercises/{id}/history?client_id=...` (each request by
the client's own trainer, cycling over all 200 clients), and the requests/s of that list beside `/health` in the
same run; prints the medians over the rounds and the ratios.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import seed_training  # noqa: E402
from common import free_port  # noqa: E402

from elior.settings import Settings  # noqa: E402
from elior.web.tokens import make_access_token  # noqa: E402

SECRET = "bench-secret-key-long-enough-for-hs256-signing"
SIZES = {"small": (1_000, 10_000), "large": (100_000, 1_000_000)}
CLIENTS = 200


async def _pg(url: str, *statements: str) -> list[Any]:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        return [await connection.fetch(statement) for statement in statements]
    finally:
        await connection.close()


def database_url(kind: str, size: str, workdir: Path, pg_url: str | None) -> str:
    """A fresh, empty database for one size."""
    if kind == "sqlite":
        path = workdir / f"training-{size}.db"
        for leftover in workdir.glob(f"training-{size}.db*"):
            leftover.unlink()
        return f"sqlite:///{path}"
    assert pg_url is not None
    name = f"elior_bench_training_{size}"
    asyncio.run(_pg(pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
    return re.sub(r"/[^/]*$", f"/{name}", pg_url)


def sign_in_trainers(url: str, trainers: list[int]) -> dict[int, str]:
    """A login row per trainer, and an access token for it signed with the server's key."""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if url.startswith("postgresql"):
        rows = asyncio.run(_pg(url, *[
            f"INSERT INTO logins (user_id, created_at) VALUES ({t}, now()) RETURNING id" for t in trainers]))
        login_ids = [result[0]["id"] for result in rows]
    else:
        connection = sqlite3.connect(url.split("sqlite:///", 1)[1])
        with connection:
            login_ids = [connection.execute("INSERT INTO logins (user_id, created_at) VALUES (?, ?) RETURNING id",
                                            (t, now.isoformat().replace("+00:00", "Z"))).fetchone()[0]
                         for t in trainers]
        connection.close()
    settings = Settings(secret_key=SECRET, access_token_expire_minutes=120)
    return {t: make_access_token(settings, user_id=t, role="trainer", login_id=login)[0]
            for t, login in zip(trainers, login_ids)}


@contextlib.contextmanager
def server(url: str, workdir: Path) -> Iterator[str]:
    """`python -m elior serve` on a free port, stopped (by its own pid) on the way out."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "RATE_LIMIT_PER_MINUTE": "0",
           "LOG_LEVEL": "WARNING", "ELIOR_DATA_DIR": str(workdir), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"{base}/health", timeout=1).status == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            time.sleep(0.1)
        else:
            raise RuntimeError("the server did not answer /health in 20 s")
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def targets(facts: dict[str, Any], tokens: dict[int, str]) -> dict[str, list[tuple[str, str]]]:
    """(path, token) pairs per measured endpoint: every client once, asked by their own trainer."""
    clients = sorted((int(c), t, e) for c, (t, e) in facts["clients"].items())
    return {
        "list": [(f"/api/workouts?client_id={c}&limit=20", tokens[t]) for c, t, _ in clients],
        "history": [(f"/api/exercises/{e}/history?client_id={c}", tokens[t]) for c, t, e in clients],
        "health": [("/health", "")],
    }


def check(base: str, pairs: list[tuple[str, str]]) -> int:
    """Every request answers 200 before any is timed (wrk counts errors but would time them all the same); the
    mean size of the answers, since the small database's pages hold fewer workouts (5 a client, not 20)."""
    sizes = []
    for path, token in pairs:
        request = urllib.request.Request(base + path, headers={"Authorization": f"Bearer {token}"} if token else {})
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 200, (path, response.status)
            sizes.append(len(response.read()))
    return int(statistics.mean(sizes))


def lua_script(pairs: list[tuple[str, str]], directory: Path) -> Path:
    lines = ["local requests = {}"]
    for i, (path, token) in enumerate(pairs, start=1):
        headers = f'{{["Authorization"] = "Bearer {token}"}}' if token else "{}"
        lines.append(f'requests[{i}] = wrk.format("GET", "{path}", {headers})')
    lines += ["local i = 0", "request = function()", "  i = i % #requests + 1", "  return requests[i]", "end"]
    script = directory / f"wrk-{abs(hash(tuple(pairs)))}.lua"
    script.write_text("\n".join(lines) + "\n")
    return script


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def wrk(base: str, script: Path, seconds: int, connections: int) -> dict[str, float]:
    output = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script),
                             base], capture_output=True, text=True, check=True).stdout
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if not p99 or not rps:
        raise RuntimeError(f"could not read wrk's output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise RuntimeError(f"{errors.group(1)} failed responses:\n{output}")
    return {"p99_ms": float(p99.group(1)) * UNITS[p99.group(2)], "rps": float(rps.group(1))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server URL (else SQLite files)")
    parser.add_argument("--workdir", type=Path, default=None, help="where SQLite files go (default: a temp dir)")
    parser.add_argument("--seconds", type=int, default=5, help="each wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    kind = "postgresql" if args.postgresql else "sqlite"
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="elior-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)

    prepared = {}
    for size, (workouts, sets) in SIZES.items():
        url = database_url(kind, size, workdir, args.postgresql)
        print(f"seeding {size}: {workouts:,} workouts, {sets:,} set rows ({kind})", file=sys.stderr)
        facts = seed_training.seed(url, CLIENTS, workouts, sets)
        prepared[size] = (url, targets(facts, sign_in_trainers(url, facts["trainers"])), facts["seconds"])

    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    with contextlib.ExitStack() as stack:
        bases = {size: stack.enter_context(server(url, workdir)) for size, (url, _, _) in prepared.items()}
        scripts, sizes = {}, {}
        for size, (_, pairs, _) in prepared.items():
            for name, endpoint_pairs in pairs.items():
                sizes[size, name] = check(bases[size], endpoint_pairs)
                scripts[size, name] = lua_script(endpoint_pairs, workdir)
                wrk(bases[size], scripts[size, name], 1, args.connections)  # warm the caches
        for round_number in range(args.rounds):
            for size in SIZES:
                for name in ("list", "history", "health"):
                    result = wrk(bases[size], scripts[size, name], args.seconds, args.connections)
                    results.setdefault((size, name), []).append(result)
                    print(f"round {round_number + 1} {size:5} {name:7} p99 {result['p99_ms']:7.2f} ms "
                          f"{result['rps']:8.0f} req/s", file=sys.stderr)

    def median(size: str, name: str, key: str) -> float:
        return statistics.median(r[key] for r in results[size, name])

    print(f"\nbench/training.py on {kind}: wrk -t2 -c{args.connections}, {args.seconds}s x {args.rounds} rounds "
          f"(medians), one uvicorn worker per database")
    for size, (workouts, sets) in SIZES.items():
        print(f"  {size:5} ({workouts:>7,} workouts, {sets:>9,} sets; seeded in {prepared[size][2]}s): "
              f"list p99 {median(size, 'list', 'p99_ms'):6.2f} ms, history p99 "
              f"{median(size, 'history', 'p99_ms'):6.2f} ms, list {median(size, 'list', 'rps'):6.0f} req/s, "
              f"health {median(size, 'health', 'rps'):6.0f} req/s; mean answer: list {sizes[size, 'list']:,} B, "
              f"history {sizes[size, 'history']:,} B")
    for name in ("list", "history"):
        print(f"  {name} p99 large/small: "
              f"{median('large', name, 'p99_ms') / median('small', name, 'p99_ms'):.2f}x")
    for size in SIZES:
        print(f"  {size} list/health req/s: {median(size, 'list', 'rps') / median(size, 'health', 'rps'):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

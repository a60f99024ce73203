"""Programs at a studio's scale: one request that assigns a program to 30 clients, and the attention queue of a
trainer with 200 clients and two years of history beside one with 10.

    python3 bench/programs.py                                                     # SQLite
    python3 bench/programs.py --postgresql postgresql://postgres@127.0.0.1:5432/postgres

Seeds a fresh database straight into its tables (the schema from the app's migrations): a trainer with 30 clients
for the assignments; a trainer with 10 clients and one with 200, each client with two years of workouts (4 a week,
85 % logged), a weigh-in a week and 3 meal entries a week (the latest pending), and 4 planned weeks ahead. Starts
a real server (`python -m elior serve`) on it and measures, from outside:
- assign: `POST /api/programs/{id}/assign` of a 12-week program of 4 workouts a week, 6 exercise lines each, to the
  30 clients (1,440 workouts and 8,640 lines), for fresh programs and once as a re-assign (which first removes the
  previous assignment's 1,440 future workouts). Goal: under 1 s on SQLite.
- attention: `GET /api/clients/attention` for the 200-client and the 10-client trainer: once cold (the day's first
  request, which computes every client's figures and keeps them), then warm, requests alternating between the two
  trainers: p50 and p99 of each, and their ratio. Goal: p99 within 2x.
- statements per request, for each (the server's own count, from `GET /api/system/metrics`).
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

from common import Client, free_port  # noqa: E402

from elior.clock import iso  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402
from elior.settings import Settings  # noqa: E402
from elior.web.tokens import make_access_token  # noqa: E402

SECRET = "bench-secret-key-long-enough-for-hs256-signing"
NO_PASSWORD = "$2b$04$" + "." * 53  # no one signs in with a password: the benchmark makes tokens
ADMIN, SMALL, BIG, COACH = 1, 2, 3, 4  # user ids: an admin and three trainers; clients follow
SIZES = {SMALL: 10, BIG: 200}
ASSIGNED_CLIENTS = 30
WEEKS_BACK, WEEKS_AHEAD = 104, 4
DAYS = (0, 1, 3, 5)  # Monday, Tuesday, Thursday, Saturday


def history(today: dt.date) -> dict[str, list[tuple[Any, ...]]]:
    """Every row to insert, deterministic. Clients of SMALL, then of BIG, then of COACH."""
    now = dt.datetime.combine(today, dt.time(8), tzinfo=dt.timezone.utc)
    users: list[tuple[Any, ...]] = [(ADMIN, "admin@bench.test", "admin", None, "Admin")]
    users += [(t, f"trainer{t}@bench.test", "trainer", None, f"Trainer {t}") for t in (SMALL, BIG, COACH)]
    owners = [SMALL] * SIZES[SMALL] + [BIG] * SIZES[BIG] + [COACH] * ASSIGNED_CLIENTS
    clients = list(range(5, 5 + len(owners)))
    users += [(c, f"client{c}@bench.test", "client", t, f"Client {c:03d}") for c, t in zip(clients, owners)]
    rows: dict[str, list[tuple[Any, ...]]] = {
        "users": [(*u, NO_PASSWORD, now, now) for u in users],
        "exercises": [(e, f"Exercise {e}", COACH, now, now) for e in range(1, 7)],
        "workouts": [], "workout_logs": [], "progress_entries": [], "meal_plans": [], "meal_entries": []}
    monday = today - dt.timedelta(days=today.weekday())
    for c, trainer in zip(clients, owners):
        if trainer == COACH:
            continue
        rows["meal_plans"].append((c, c, trainer, "Plan", monday - dt.timedelta(weeks=WEEKS_BACK), now, now))
        for week in range(-WEEKS_BACK, WEEKS_AHEAD):
            start = monday + dt.timedelta(weeks=week)
            if start < today:
                rows["progress_entries"].append((c, start, 80 + (week % 5) * 0.5, now, now))
            for n, offset in enumerate(DAYS):
                day = start + dt.timedelta(days=offset)
                done = day < today and (c * 7 + week * 3 + n) % 20 < 17  # 85 % logged
                workout_id = len(rows["workouts"]) + 1
                rows["workouts"].append((workout_id, c, trainer, f"Session {week}.{n}", day,
                                         "completed" if done else "planned", now, now,
                                         dt.datetime.combine(day, dt.time(18), tzinfo=dt.timezone.utc) if done
                                         else None))
                if done:
                    at = dt.datetime.combine(day, dt.time(18), tzinfo=dt.timezone.utc)
                    rows["workout_logs"].append((workout_id, c, c, at, at))
                if n < 3 and day < today:
                    status = "pending" if day >= today - dt.timedelta(days=3) else "approved"
                    rows["meal_entries"].append((c, c, day, "Lunch", status, now, now))
    return rows


COLUMNS = {
    "users": "id, email, role, trainer_id, full_name, password_hash, created_at, updated_at",
    "exercises": "id, name, created_by, created_at, updated_at",
    "workouts": "id, client_id, trainer_id, title, scheduled_for, status, created_at, updated_at, completed_at",
    "workout_logs": "workout_id, client_id, logged_by, performed_at, created_at",
    "progress_entries": "client_id, date, weight_kg, created_at, updated_at",
    "meal_plans": "id, client_id, trainer_id, title, start_date, created_at, updated_at",
    "meal_entries": "plan_id, client_id, date, meal_name, status, created_at, updated_at",
}


async def seed(url: str, today: dt.date) -> dict[str, int]:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.disconnect()
    rows = history(today)
    if url.startswith("postgresql"):
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            for table, columns in COLUMNS.items():
                await connection.copy_records_to_table(table, records=rows[table], columns=columns.split(", "))
            for table in ("users", "exercises", "workouts", "meal_plans"):  # ids were copied in: move past them
                await connection.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                         f"(SELECT MAX(id) FROM {table}) + 1, false)")
            # The triggers raised each client's attention version once per row copied: vacuum as a running
            # server's autovacuum would have, so the figures are of a steady state, not of the seed's dead rows.
            await connection.execute("VACUUM ANALYZE")
        finally:
            await connection.close()
    else:
        connection = sqlite3.connect(url.split("sqlite:///", 1)[1], isolation_level=None)
        connection.execute("BEGIN")
        for table, columns in COLUMNS.items():
            marks = ", ".join("?" * len(columns.split(", ")))
            connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})",
                                   [tuple(_sqlite(v) for v in row) for row in rows[table]])
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
        connection.close()
    return {table: len(table_rows) for table, table_rows in rows.items()}


def _sqlite(value: Any) -> Any:
    return iso(value) if isinstance(value, dt.datetime) else value.isoformat() if isinstance(value, dt.date) else value


def tokens(url: str) -> dict[int, str]:
    """An access token for the admin and each trainer, on a login row of their own."""
    settings = Settings(secret_key=SECRET, access_token_expire_minutes=120)
    made = {}
    for user, role in ((ADMIN, "admin"), (SMALL, "trainer"), (BIG, "trainer"), (COACH, "trainer")):
        login = asyncio.run(_login(url, user))
        made[user] = make_access_token(settings, user_id=user, role=role, login_id=login)[0]
    return made


async def _login(url: str, user: int) -> int:
    db = Database(url)
    await db.connect()
    try:
        return int(await db.fetch_val("accounts.auth.create_login", user_id=user, now=dt.datetime.now(dt.timezone.utc),
                                      user_agent="bench", address="127.0.0.1"))
    finally:
        await db.disconnect()


@contextlib.contextmanager
def server(url: str, workdir: Path) -> Iterator[int]:
    """`python -m elior serve` on a free port, stopped (by its own pid) on the way out."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET, "RATE_LIMIT_PER_MINUTE": "0",
           "LOG_LEVEL": "WARNING", "ELIOR_DATA_DIR": str(workdir), "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1).status == 200:
                    break
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def statements(client: Client, admin: str) -> int:
    return int(client.call("GET", "/api/system/metrics", token=admin, expect=200)["database"]["queries"])


def counted(client: Client, admin: str, method: str, path: str, body: Any, token: str,
            expect: int) -> tuple[float, Any, int]:
    """One request's time, answer and SQL statements (the server's count, less what reading the count costs)."""
    first = statements(client, admin)
    reading = statements(client, admin) - first
    seconds, answer = timed(client, method, path, body, token, expect)
    return seconds, answer, statements(client, admin) - first - 2 * reading


def timed(client: Client, method: str, path: str, body: Any, token: str, expect: int) -> tuple[float, Any]:
    started = time.perf_counter()
    answer = client.call(method, path, body, token=token, expect=expect)
    return time.perf_counter() - started, answer


def program_body(n: int) -> dict[str, Any]:
    lines = [{"exercise_id": e, "sets": 4, "reps_min": 6, "reps_max": 10, "weight_kg": 40 + 5 * e,
              "progression_kg": 2.5, "rest_seconds": 120} for e in range(1, 7)]
    return {"title": f"Block {n}", "weeks": 12, "workouts": [
        {"week": w, "day": d, "title": f"W{w} D{d}", "exercises": lines} for w in range(1, 13) for d in (1, 2, 4, 6)]}


def bench_assign(client: Client, token: dict[int, str], today: dt.date, programs: int) -> list[str]:
    clients = list(range(5 + SIZES[SMALL] + SIZES[BIG], 5 + SIZES[SMALL] + SIZES[BIG] + ASSIGNED_CLIENTS))
    start = (today + dt.timedelta(days=7 - today.weekday())).isoformat()  # next Monday
    made = [client.call("POST", "/api/programs", program_body(n), token=token[COACH], expect=201)["id"]
            for n in range(programs)]
    report = []
    # Each program once to clients who hold nothing of it; then the first again, which replaces what it made.
    for program, kind in [*((p, "fresh    ") for p in made), (made[0], "re-assign")]:
        seconds, answer, count = counted(client, token[ADMIN], "POST", f"/api/programs/{program}/assign",
                                         {"client_ids": clients, "start_date": start}, token[COACH], 201)
        assert not answer["failed"], answer["failed"]
        report.append(f"assign {kind} {len(clients)} clients: {seconds * 1000:7.1f} ms, "
                      f"{sum(a['workouts'] for a in answer['assigned'])} workouts made, "
                      f"{sum(a['removed'] for a in answer['assigned'])} removed, {count} statements")
    return report


def bench_attention(client: Client, token: dict[int, str], requests: int) -> list[str]:
    latencies: dict[int, list[float]] = {SMALL: [], BIG: []}
    cold, counts = {}, {}
    for trainer in SIZES:  # sign-in checks cached first, so the counts below are the queue's own
        client.call("GET", "/api/auth/me", token=token[trainer], expect=200)
    for trainer in SIZES:  # the first request of the day makes every client's figures; later ones read them
        seconds, answer, made = counted(client, token[ADMIN], "GET", "/api/clients/attention", None, token[trainer],
                                        200)
        assert answer["total"] == SIZES[trainer], answer["total"]
        cold[trainer] = (seconds, made)
        counts[trainer] = counted(client, token[ADMIN], "GET", "/api/clients/attention", None, token[trainer],
                                  200)[2]
    for _ in range(requests):
        for trainer in SIZES:  # alternating, so that the machine's noise hurts both alike
            latencies[trainer].append(timed(client, "GET", "/api/clients/attention", None, token[trainer], 200)[0])

    def p(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000

    report = [f"attention {SIZES[t]:3} clients: cold {cold[t][0] * 1000:6.1f} ms ({cold[t][1]} statements); warm "
              f"p50 {p(v, 0.5):6.2f} ms, p99 {p(v, 0.99):6.2f} ms, mean {statistics.mean(v) * 1000:6.2f} ms, "
              f"{counts[t]} statement(s)/request" for t, v in latencies.items()]
    report.append(f"attention p99 ratio 200/10 clients: {p(latencies[BIG], 0.99) / p(latencies[SMALL], 0.99):.2f}x")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--postgresql", metavar="URL", help="a PostgreSQL server URL (else a SQLite file)")
    parser.add_argument("--requests", type=int, default=300, help="attention requests per trainer")
    parser.add_argument("--programs", type=int, default=3, help="fresh programs assigned")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="elior-bench-programs-"))
    if args.postgresql:
        name = "elior_bench_programs"
        asyncio.run(_pg(args.postgresql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
        url = re.sub(r"/[^/]*$", f"/{name}", args.postgresql)
    else:
        url = f"sqlite:///{workdir / 'programs.db'}"
    today = dt.date.today()
    started = time.perf_counter()
    counts = asyncio.run(seed(url, today))
    print(f"seeded in {time.perf_counter() - started:.1f} s: " + ", ".join(f"{n:,} {t}" for t, n in counts.items()),
          file=sys.stderr)
    token = tokens(url)
    with server(url, workdir) as port:
        client = Client(port)
        lines = bench_attention(client, token, args.requests) + bench_assign(client, token, today, args.programs)
        client.close()
    print(f"# bench/programs.py, {'PostgreSQL' if args.postgresql else 'SQLite'}, "
          f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.1f}")
    print("\n".join(lines))
    return 0


async def _pg(url: str, *statements: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


if __name__ == "__main__":
    sys.exit(main())

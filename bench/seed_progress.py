"""Bulk-seed a database with trainers, clients and their progress entries, fast, with a progress bar.

    python3 bench/seed_progress.py sqlite:///data/bench.db --clients 2000 --per-client 500
    python3 bench/seed_progress.py postgresql://postgres@127.0.0.1:5432/bench --clients 2000 --per-client 500

The schema comes from the project's own migrations; the rows go in through the driver's bulk path (sqlite3
`executemany` in large transactions with synchronous=OFF, PostgreSQL `COPY`), about 1,000,000 entries in well under
a minute. Client k gets one entry a day for `--per-client` days, ending yesterday. `--extra N` adds one more client
with N entries (repeatable). Prints, as JSON, the ids and the login a benchmark signs tokens for (trainer 1, who has
the first 100 clients).
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any, Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402

CHUNK = 50_000
CLIENTS_PER_TRAINER = 100
PASSWORD_HASH = "$2b$04$invalidinvalidinvalidinvalidinvalidinvalidinvalidinvali"  # nobody signs in with it
NOTES = ("felt strong", "slept badly", "after holidays", None, None, None, '=HYPERLINK("http://x")')


class Bar:
    """`[#####-----]  45%  450,000/1,000,000 rows  3.1 s` on stderr, redrawn in place."""

    def __init__(self, total: int, label: str) -> None:
        self.total, self.label, self.done, self.started = max(total, 1), label, 0, time.perf_counter()

    def advance(self, count: int) -> None:
        self.done += count
        share = self.done / self.total
        filled = int(share * 30)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'-' * (30 - filled)}] {share:4.0%} "
                         f"{self.done:,}/{self.total:,} rows {time.perf_counter() - self.started:5.1f} s")
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\n")


def plan_clients(clients: int, per_client: int, extra: list[int]) -> list[int]:
    """Entries per client, in client order."""
    return [per_client] * clients + list(extra)


def progress_rows(client_id: int, count: int, trainer_id: int, now: dt.datetime,
                  rng: random.Random) -> Iterator[tuple[Any, ...]]:
    last = now.date() - dt.timedelta(days=1)
    weight, fat = rng.uniform(60, 110), rng.uniform(10, 35)
    for back in range(count - 1, -1, -1):
        weight = min(max(weight + rng.uniform(-0.3, 0.3), 40), 200)
        fat = min(max(fat + rng.uniform(-0.1, 0.1), 5), 50)
        measured = back % 7 == 0  # measurements weekly, weight daily
        chest = round(rng.uniform(90, 120), 1) if measured else None
        waist = round(rng.uniform(70, 100), 1) if measured else None
        yield (client_id, last - dt.timedelta(days=back), round(weight, 1), round(fat, 1), chest, waist,
               None, None, None, rng.choice(NOTES), trainer_id, now, now)


def users(clients: int, extra: int, now: dt.datetime) -> tuple[list[tuple[Any, ...]], list[int], int]:
    """Trainers first (ids 1..T), then clients; returns rows, client ids, and the number of trainers."""
    total_clients = clients + extra
    trainers = max(1, -(-total_clients // CLIENTS_PER_TRAINER))
    rows: list[tuple[Any, ...]] = [(t, f"trainer{t}@bench.test", PASSWORD_HASH, f"Trainer {t}", "trainer", None, now)
                                   for t in range(1, trainers + 1)]
    client_ids = []
    for k in range(total_clients):
        user_id = trainers + 1 + k
        rows.append((user_id, f"client{k}@bench.test", PASSWORD_HASH, f"Client {k}", "client",
                     1 + k // CLIENTS_PER_TRAINER, now))
        client_ids.append(user_id)
    return rows, client_ids, trainers


async def migrated(url: str) -> None:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.disconnect()


def seed_sqlite(path: str, user_rows: list[tuple[Any, ...]], entries: list[tuple[int, int]], now: dt.datetime,
                bar: Bar) -> int:
    iso = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")
    connection.execute("BEGIN")
    connection.executemany(
        "INSERT INTO users (id, email, password_hash, full_name, role, trainer_id, is_active, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)", [(*row[:6], iso, iso) for row in user_rows])
    login_id = connection.execute("INSERT INTO logins (user_id, created_at, user_agent, address) "
                                  "VALUES (1, ?, 'bench', '127.0.0.1')", (iso,)).lastrowid
    connection.execute("COMMIT")
    rng = random.Random(7)
    batch: list[tuple[Any, ...]] = []
    sql = ("INSERT INTO progress_entries (client_id, date, weight_kg, body_fat_pct, chest_cm, waist_cm, hips_cm,"
           " arm_cm, thigh_cm, notes, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")

    def flush() -> None:
        connection.execute("BEGIN")
        connection.executemany(sql, batch)
        connection.execute("COMMIT")
        bar.advance(len(batch))
        batch.clear()

    for client_id, count in entries:
        for row in progress_rows(client_id, count, 1, now, rng):
            batch.append((*row[:1], row[1].isoformat(), *row[2:11], iso, iso))
            if len(batch) >= CHUNK:
                flush()
    if batch:
        flush()
    connection.execute("ANALYZE")
    connection.close()
    return int(login_id or 0)


async def seed_postgres(url: str, user_rows: list[tuple[Any, ...]], entries: list[tuple[int, int]],
                        now: dt.datetime, bar: Bar) -> int:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        await connection.copy_records_to_table(
            "users", columns=["id", "email", "password_hash", "full_name", "role", "trainer_id", "is_active",
                              "created_at", "updated_at"],
            records=[(*row[:6], True, now, now) for row in user_rows])
        await connection.execute("SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users))")
        login_id = await connection.fetchval("INSERT INTO logins (user_id, created_at, user_agent, address) "
                                             "VALUES (1, $1, 'bench', '127.0.0.1') RETURNING id", now)
        rng = random.Random(7)
        columns = ["client_id", "date", "weight_kg", "body_fat_pct", "chest_cm", "waist_cm", "hips_cm", "arm_cm",
                   "thigh_cm", "notes", "created_by", "created_at", "updated_at"]
        batch: list[tuple[Any, ...]] = []
        for client_id, count in entries:
            for row in progress_rows(client_id, count, 1, now, rng):
                batch.append(row)
                if len(batch) >= CHUNK:
                    await connection.copy_records_to_table("progress_entries", columns=columns, records=batch)
                    bar.advance(len(batch))
                    batch = []
        if batch:
            await connection.copy_records_to_table("progress_entries", columns=columns, records=batch)
            bar.advance(len(batch))
        await connection.execute("ANALYZE")
        return int(login_id)
    finally:
        await connection.close()


def seed(url: str, clients: int, per_client: int, extra: list[int], label: str = "seeding") -> dict[str, Any]:
    """Migrate an empty database and fill it; returns the ids a benchmark needs."""
    asyncio.run(migrated(url))
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    user_rows, client_ids, trainers = users(clients, len(extra), now)
    counts = plan_clients(clients, per_client, extra)
    entries = list(zip(client_ids, counts))
    bar = Bar(sum(counts), label)
    if url.startswith("sqlite"):
        # sqlite:///relative.db or sqlite:////absolute.db, as `databases` reads them.
        login_id = seed_sqlite(url[len("sqlite:///"):], user_rows, entries, now, bar)
    else:
        login_id = asyncio.run(seed_postgres(url, user_rows, entries, now, bar))
    bar.close()
    return {"url": url, "trainers": trainers, "clients": len(client_ids), "entries": sum(counts),
            "trainer_id": 1, "trainer_login_id": login_id, "first_client_id": client_ids[0],
            "extra_client_ids": dict(zip(map(str, extra), client_ids[clients:]))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("database", help="sqlite:///path/to.db (a new file) or postgresql://... (an empty database)")
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--per-client", type=int, default=500)
    parser.add_argument("--extra", type=int, action="append", default=[], help="one more client with N entries")
    arguments = parser.parse_args()
    print(json.dumps(seed(arguments.database, arguments.clients, arguments.per_client, arguments.extra), indent=2))

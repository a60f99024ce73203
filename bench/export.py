"""Export time and peak memory for a big client: 10,000 workouts (with their exercise lines, logs and sets) and 500
progress photos, seeded straight into the database, exported by the code the export job runs
(elior.exports.writer.write_client), in a fresh process so that its peak RSS is the export's alone.

    python3 bench/export.py                                   # SQLite in a temporary folder, photos encrypted
    python3 bench/export.py --workouts 10000 --photos 500 --photo-kb 200
    python3 bench/export.py --database-url postgresql://postgres@127.0.0.1:5432/bench_export   # an empty database

Prints the seeded counts, then the export's wall time, the ZIP's size, and the measuring process's peak RSS
(ru_maxrss) before and after the export: their difference is what the export itself held at most.
"""
from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elior.db.database import Database  # noqa: E402
from elior.db.lanes import adapt  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402
from elior.media import crypto  # noqa: E402
from elior.settings import Settings  # noqa: E402

KEY = "42" * 32
PER_WORKOUT = 3
NO_PASSWORD = "$2b$04$" + "." * 53


def settings_for(url: str, data_dir: Path) -> Settings:
    return Settings(database_url=url, data_dir=data_dir, upload_dir=data_dir / "uploads", file_encryption_key=KEY,
                    secret_key="bench-export-secret-key-that-is-long-enough")


async def _many(db: Database, sql: str, rows: list[dict[str, Any]]) -> None:
    """Bulk inserts on a connection of their own, in one executemany (the layer's would run them one by one)."""
    if db.dialect == "sqlite" and db.path is not None:
        connection = sqlite3.connect(db.path)
        try:
            with connection:
                connection.executemany(sql, [adapt(row) for row in rows])
        finally:
            connection.close()
        return
    import asyncpg

    names: list[str] = []

    def number(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            names.append(match.group(1))
        return f"${names.index(match.group(1)) + 1}"

    numbered = re.sub(r"(?<!:):([a-z_]+)", number, sql)
    connection = await asyncpg.connect(db.url)
    try:
        await connection.executemany(numbered, [tuple(row[name] for name in names) for row in rows])
    finally:
        await connection.close()


async def seed(db: Database, settings: Settings, workouts: int, photos: int, photo_kb: int) -> int:
    """A trainer and one client with `workouts` workouts (4 in 5 logged, 3 lines and 3 sets each) and `photos`
    progress entries with one encrypted photo each, a message and a notification per photo. The client's id."""
    now = dt.datetime(2026, 3, 1, tzinfo=dt.timezone.utc)  # objects, not text: PostgreSQL's columns are typed
    stamp = time.monotonic_ns()
    trainer = await db.fetch_one("accounts.users.insert", email=f"t{stamp}@bench.test", password_hash=NO_PASSWORD,
                                 full_name="Bench Trainer", role="trainer", trainer_id=None, now=now)
    client = await db.fetch_one("accounts.users.insert", email=f"c{stamp}@bench.test", password_hash=NO_PASSWORD,
                                full_name="Bench Client", role="client", trainer_id=trainer["id"], now=now)
    tid, cid = trainer["id"], client["id"]
    exercise_ids = []
    for n in range(10):
        row = await db.raw.fetch_one("INSERT INTO exercises (name, created_by, created_at, updated_at) "
                                     "VALUES (:name, :by, :now, :now) RETURNING id",
                                     {"name": f"Exercise {n}", "by": tid, "now": now})
        exercise_ids.append(row[0])
    day0 = dt.date(2000, 1, 1)
    first = await db.raw.fetch_val("SELECT COALESCE(MAX(id), 0) FROM workouts") + 1
    await _many(db, "INSERT INTO workouts (id, client_id, trainer_id, title, scheduled_for, status, created_at, "
                "updated_at) VALUES (:id, :client, :trainer, :title, :day, :status, :now, :now)",
                [{"id": first + n, "client": cid, "trainer": tid, "title": f"Workout {n}",
                  "day": day0 + dt.timedelta(days=n), "status": "completed" if n % 5 else "planned",
                  "now": now} for n in range(workouts)])
    await _many(db, "INSERT INTO workout_exercises (workout_id, exercise_id, position, sets, reps, weight_kg) "
                "VALUES (:w, :e, :p, 3, 5, 100)",
                [{"w": first + n, "e": exercise_ids[(n + p) % 10], "p": p}
                 for n in range(workouts) for p in range(PER_WORKOUT)])
    logged = [n for n in range(workouts) if n % 5]
    first_log = await db.raw.fetch_val("SELECT COALESCE(MAX(id), 0) FROM workout_logs") + 1
    await _many(db, "INSERT INTO workout_logs (id, workout_id, client_id, logged_by, performed_at, duration_minutes, "
                "rating, notes, created_at) VALUES (:id, :w, :client, :client, :now, 60, 4, 'fine', :now)",
                [{"id": first_log + k, "w": first + n, "client": cid, "now": now} for k, n in enumerate(logged)])
    await _many(db, "INSERT INTO set_logs (log_id, client_id, exercise_id, set_number, reps, weight_kg) "
                "VALUES (:log, :client, :e, :s, 5, 100)",
                [{"log": first_log + k, "client": cid, "e": exercise_ids[k % 10], "s": s}
                 for k in range(len(logged)) for s in range(1, 4)])
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    key = crypto.parse_key(KEY)
    plaintext = os.urandom(photo_kb * 1024)
    for n in range(photos):
        filename = f"{stamp:x}{n:06d}.jpg"
        with open(settings.upload_dir / filename, "wb") as out:
            sealed = crypto.Encryptor(key, out)
            sealed.write(plaintext)
            sealed.finish()
        await db.raw.execute("INSERT INTO files (filename, owner_id, client_id, purpose, content_type, size, sha256, "
                             "encrypted, created_at) VALUES (:f, :c, :c, 'progress_photo', 'image/jpeg', :size, "
                             "'bench', :enc, :now)",
                             {"f": filename, "c": cid, "size": len(plaintext), "enc": True,
                              "now": now})
        entry = await db.raw.fetch_val("INSERT INTO progress_entries (client_id, date, weight_kg, created_at, "
                                       "updated_at) VALUES (:c, :d, 80, :now, :now) RETURNING id",
                                       {"c": cid, "d": day0 + dt.timedelta(days=n), "now": now})
        await db.raw.execute("INSERT INTO progress_photos (entry_id, filename, position) VALUES (:e, :f, 0)",
                             {"e": entry, "f": filename})
    return int(cid)


async def _prepare(url: str, data_dir: Path, workouts: int, photos: int, photo_kb: int) -> int:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
        started = time.perf_counter()
        client_id = await seed(db, settings_for(url, data_dir), workouts, photos, photo_kb)
        # Fresh statistics, as autovacuum would have them for tables that grew this much: without them PostgreSQL
        # plans the page queries for empty tables (measured: 27 s instead of 0.8 s for the exercise lines).
        await db.raw.execute("ANALYZE")
        print(f"seeded client {client_id}: {workouts} workouts ({workouts * PER_WORKOUT} lines, "
              f"{workouts * 4 // 5} logs, {workouts * 4 // 5 * 3} sets), {photos} photos of {photo_kb} KB, "
              f"in {time.perf_counter() - started:.1f}s", flush=True)
        return client_id
    finally:
        await db.disconnect()


def _status(field: str) -> int:
    """A figure of /proc/self/status in KB (VmRSS: resident now; VmHWM: the peak so far)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


async def _measure(url: str, data_dir: Path, client_id: int) -> dict[str, Any]:
    from elior.exports import writer

    db = Database(url)
    await db.connect()
    try:
        await db.fetch_one("exports.jobs.estimate", client_id=client_id)  # warm: statements compiled, imports done
        before = _status("VmRSS")
        out = data_dir / "bench-export.zip"
        started = time.perf_counter()
        cpu = time.process_time()
        written = await writer.write_client(db, settings_for(url, data_dir), client_id, out)
        return {"seconds": round(time.perf_counter() - started, 2), "cpu_seconds": round(time.process_time() - cpu, 2),
                "zip_mb": round(written.size_bytes / 1e6, 1), "rows": sum(written.counts.values()),
                "files": written.files, "rss_before_mb": round(before / 1024, 1),
                "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "hwm_mb": round(_status("VmHWM") / 1024, 1)}
    finally:
        await db.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="an empty database (default: SQLite in a temporary folder)")
    parser.add_argument("--workouts", type=int, default=10_000)
    parser.add_argument("--photos", type=int, default=500)
    parser.add_argument("--photo-kb", type=int, default=200)
    parser.add_argument("--measure", nargs=3, metavar=("URL", "DIR", "CLIENT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:  # the fresh process: only the export's memory in its peak
        url, folder, client = args.measure
        print(json.dumps(asyncio.run(_measure(url, Path(folder), int(client)))))
        return
    with tempfile.TemporaryDirectory(prefix="bench-export-") as folder:
        data_dir = Path(folder)
        url = args.database_url or f"sqlite:///{data_dir / 'bench.db'}"
        client_id = asyncio.run(_prepare(url, data_dir, args.workouts, args.photos, args.photo_kb))
        result = subprocess.run([sys.executable, __file__, "--measure", url, folder, str(client_id)],
                                capture_output=True, text=True, check=True)
        figures = json.loads(result.stdout.strip().splitlines()[-1])
        print(f"export: {figures['seconds']}s wall, {figures['cpu_seconds']}s CPU, {figures['rows']} rows, "
              f"{figures['files']} files, ZIP {figures['zip_mb']} MB; peak RSS {figures['rss_peak_mb']} MB "
              f"(ru_maxrss; resident before the export: {figures['rss_before_mb']} MB)")


if __name__ == "__main__":
    main()

"""Seed a database with a studio's training history, fast: bulk inserts straight into the tables, progress on stderr.

    python3 bench/seed_training.py --database-url sqlite:///data/bench.db                       # the defaults:
    python3 bench/seed_training.py --database-url postgresql://postgres@127.0.0.1:5432/bench    # 200 clients,
        --workouts 100000 --sets 1000000                                                         # 100k, 1M

The schema comes from the app's own migrations. 10 trainers share the clients; each client gets an equal share of
the workouts, one a day, the last fifth still planned (in the future) and the rest logged, with the set rows spread
over the logged ones. Prints what bench/training.py needs as JSON on stdout: the trainers, and for each client their
trainer and an exercise they have logged.
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
from typing import Any, Iterator, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from elior.clock import iso  # noqa: E402
from elior.db.database import Database  # noqa: E402
from elior.db.migrations import migrate  # noqa: E402

# A bcrypt hash of nothing anyone can type: seeded users sign in only through tokens made by the benchmark.
NO_PASSWORD = "$2b$04$" + "." * 53
TRAINERS = 10
EXERCISES = 60
PER_WORKOUT = 5  # exercises per workout
MUSCLES = ("legs", "chest", "back", "shoulders", "arms", "core")
EQUIPMENT = ("barbell", "dumbbell", "kettlebell", "machine", "cable", "bodyweight")


class Progress:
    """A one-line progress bar on stderr, redrawn at most ten times a second."""

    def __init__(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.started = self.drawn = time.perf_counter()
        self._draw()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.perf_counter()
        if now - self.drawn >= 0.1 or self.done >= self.total:
            self.drawn = now
            self._draw()

    def _draw(self) -> None:
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * 30)
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        sys.stderr.write(f"\r{self.label:<16} [{bar:<30}] {share:6.1%} {self.done:>9,}/{self.total:,} "
                         f"{rate:>10,.0f}/s")
        sys.stderr.flush()

    def close(self) -> None:
        self._draw()
        sys.stderr.write(f"  {time.perf_counter() - self.started:.1f}s\n")


def chunks(rows: Iterator[tuple[Any, ...]], size: int = 20_000) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class Plan:
    """Every row to insert, generated lazily and deterministically (seeded random)."""

    def __init__(self, clients: int, workouts: int, sets: int, today: dt.date) -> None:
        self.clients, self.workouts, self.sets, self.today = clients, workouts, sets, today
        self.per_client = max(workouts // clients, 1)
        self.now = dt.datetime.combine(today, dt.time(8), tzinfo=dt.timezone.utc)
        # User ids: trainers 1..10, clients after them; exercise ids 1..60; workout and log ids from 1.
        self.client_ids = list(range(TRAINERS + 1, TRAINERS + clients + 1))
        self.logged = [w for w in range(1, workouts + 1) if self._index(w) < self.per_client * 4 // 5]

    def _index(self, workout_id: int) -> int:
        return (workout_id - 1) // self.clients  # the workout's number within its client's series

    def client_of(self, workout_id: int) -> int:
        return self.client_ids[(workout_id - 1) % self.clients]

    def trainer_of(self, client_id: int) -> int:
        return 1 + (client_id - TRAINERS - 1) % TRAINERS

    def day_of(self, workout_id: int) -> dt.date:
        # Four fifths in the past (logged), one fifth still to come.
        return self.today + dt.timedelta(days=self._index(workout_id) - self.per_client * 4 // 5)

    def exercises_of(self, workout_id: int) -> list[int]:
        start = (workout_id * 7) % EXERCISES
        return [1 + (start + k * 11) % EXERCISES for k in range(PER_WORKOUT)]

    def users(self) -> Iterator[tuple[Any, ...]]:
        for trainer in range(1, TRAINERS + 1):
            yield trainer, f"trainer{trainer}@bench.test", "trainer", None, f"Trainer {trainer}"
        for client in self.client_ids:
            yield client, f"client{client}@bench.test", "client", self.trainer_of(client), f"Client {client}"

    def exercise_rows(self) -> Iterator[tuple[Any, ...]]:
        for e in range(1, EXERCISES + 1):
            yield (e, f"Exercise {e:02d}", MUSCLES[e % len(MUSCLES)], EQUIPMENT[e % len(EQUIPMENT)],
                   1 + (e % TRAINERS))

    def workout_rows(self) -> Iterator[tuple[Any, ...]]:
        cutoff = self.per_client * 4 // 5
        for w in range(1, self.workouts + 1):
            client = self.client_of(w)
            done = self._index(w) < cutoff
            day = self.day_of(w)
            completed = dt.datetime.combine(day, dt.time(18), tzinfo=dt.timezone.utc) if done else None
            yield (w, client, self.trainer_of(client), f"Session {self._index(w) + 1}", day,
                   "completed" if done else "planned", self.now, self.now, completed)

    def workout_exercise_rows(self) -> Iterator[tuple[Any, ...]]:
        for w in range(1, self.workouts + 1):
            base = 40 + (w % 60)
            for position, exercise in enumerate(self.exercises_of(w), start=1):
                yield w, exercise, position, 3, 5, float(base + position * 5), 120

    def log_rows(self) -> Iterator[tuple[Any, ...]]:
        for log_id, w in enumerate(self.logged, start=1):
            performed = dt.datetime.combine(self.day_of(w), dt.time(18), tzinfo=dt.timezone.utc)
            yield log_id, w, self.client_of(w), self.client_of(w), performed, 60, 4, performed

    def set_rows(self) -> Iterator[tuple[Any, ...]]:
        """`sets` rows spread evenly over the logged workouts, round-robin over each one's exercises."""
        if not self.logged:
            return
        base, extra = divmod(self.sets, len(self.logged))
        rng = random.Random(4)
        for log_id, w in enumerate(self.logged, start=1):
            exercises = self.exercises_of(w)
            client = self.client_of(w)
            weight0 = 40 + (w % 60) + self._index(w) * 0.1  # slow progress over time
            for k in range(base + (1 if log_id <= extra else 0)):
                position = k % PER_WORKOUT
                set_number = 1 + k // PER_WORKOUT
                reps = rng.randint(3, 8)
                yield (log_id, client, exercises[position], min(set_number, 100), reps,
                       round(weight0 + position * 5, 1), rng.choice((None, 7.0, 8.0, 9.0)), 5,
                       float(40 + (w % 60) + (position + 1) * 5))


TABLES: dict[str, tuple[str, ...]] = {
    "users": ("id", "email", "role", "trainer_id", "full_name"),
    "exercises": ("id", "name", "muscle_group", "equipment", "created_by"),
    "workouts": ("id", "client_id", "trainer_id", "title", "scheduled_for", "status", "created_at", "updated_at",
                 "completed_at"),
    "workout_exercises": ("workout_id", "exercise_id", "position", "sets", "reps", "weight_kg", "rest_seconds"),
    "workout_logs": ("id", "workout_id", "client_id", "logged_by", "performed_at", "duration_minutes", "rating",
                     "created_at"),
    "set_logs": ("log_id", "client_id", "exercise_id", "set_number", "reps", "weight_kg", "rpe", "prescribed_reps",
                 "prescribed_weight_kg"),
}


def _streams(plan: Plan) -> list[tuple[str, int, Iterator[tuple[Any, ...]]]]:
    now = plan.now
    users = ((*row, NO_PASSWORD, now, now) for row in plan.users())
    exercises = ((*row, now, now) for row in plan.exercise_rows())
    return [
        ("users", TRAINERS + plan.clients, users),
        ("exercises", EXERCISES, exercises),
        ("workouts", plan.workouts, plan.workout_rows()),
        ("workout_exercises", plan.workouts * PER_WORKOUT, plan.workout_exercise_rows()),
        ("workout_logs", len(plan.logged), plan.log_rows()),
        ("set_logs", plan.sets if plan.logged else 0, plan.set_rows()),
    ]


def _columns(table: str) -> tuple[str, ...]:
    extra = {"users": ("password_hash", "created_at", "updated_at"), "exercises": ("created_at", "updated_at")}
    return TABLES[table] + extra.get(table, ())


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def seed_sqlite(path: str, plan: Plan) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=OFF")  # a seed that fails is rerun, never trusted half-written
    connection.execute("PRAGMA cache_size=-262144")  # 256 MB: the indexes' pages stay in memory until the commit
    connection.execute("BEGIN")
    for table, total, rows in _streams(plan):
        columns = _columns(table)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        progress = Progress(table, total)
        for batch in chunks(rows):
            connection.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
            progress.advance(len(batch))
        progress.close()
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


async def seed_postgresql(url: str, plan: Plan) -> None:
    import asyncpg

    connection = await asyncpg.connect(url)
    try:
        async with connection.transaction():
            for table, total, rows in _streams(plan):
                progress = Progress(table, total)
                for batch in chunks(rows):
                    await connection.copy_records_to_table(table, records=batch, columns=list(_columns(table)))
                    progress.advance(len(batch))
                progress.close()
            for table in TABLES:  # explicit ids were copied in: move the identity sequences past them
                await connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                    f"FROM {table}")
        await connection.execute("ANALYZE")
    finally:
        await connection.close()


async def _migrate(url: str) -> None:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
    finally:
        await db.disconnect()


def seed(url: str, clients: int, workouts: int, sets: int) -> dict[str, Any]:
    """Create the schema and the rows; answer what the benchmark needs to know about them."""
    plan = Plan(clients, workouts, sets, dt.date.today())
    asyncio.run(_migrate(url))
    started = time.perf_counter()
    if url.startswith("postgresql"):
        asyncio.run(seed_postgresql(url, plan))
    else:
        seed_sqlite(url.split("sqlite:///", 1)[1], plan)
    return {"seconds": round(time.perf_counter() - started, 1), "trainers": list(range(1, TRAINERS + 1)),
            # Per client: their trainer, and an exercise of their first workout (so their history is not empty).
            "clients": {str(c): [plan.trainer_of(c), plan.exercises_of(i + 1)[0]]
                        for i, c in enumerate(plan.client_ids)}, "exercises": EXERCISES,
            "workouts": workouts, "sets": sets if plan.logged else 0}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="an empty database: sqlite:///path or postgresql://")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workouts", type=int, default=100_000)
    parser.add_argument("--sets", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    print(json.dumps(seed(args.database_url, args.clients, args.workouts, args.sets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

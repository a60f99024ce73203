"""Export jobs: queued by POST /api/exports, run in the server, one ZIP each under ELIOR_DATA_DIR/exports.

A job is a row of `exports`, claimed in SQL (sql/exports/jobs/claim*.sql) with a lease the worker renews each time it
writes progress; only the claim's holder may record the outcome, so with several processes each job runs once at a
time. A worker that dies leaves its job `running` with a lease that runs out, and whoever sweeps next starts it over
(the ZIP is written to a `.part` file and renamed only when complete, so nothing half-written is ever served). SQLite
serves from one process, so there a `running` job found by the first sweep of a start is that process's own dead
job and is taken at once, without waiting for its lease. MAX_ATTEMPTS deaths fail it for good.

`sweep(state)` runs at start and every INTERVAL seconds (the lifespan's TaskRunner, elior/app.py) and right after a
job is queued (`wake`). `remove_expired(db, settings)` is housekeeping's: finished exports past `expires_at`, file
first, then row.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import secrets
import time
from pathlib import Path
from typing import Any

from elior import clock
from elior.exports.writer import ExportError, write_client
from elior.settings import Settings
from elior.web.errors import log_failure

log = logging.getLogger("elior.exports")

INTERVAL = 5.0
LEASE = dt.timedelta(seconds=60)
PROGRESS_EVERY = 1.0  # seconds between progress writes (each renews the lease)
MAX_ATTEMPTS = 3
ZIP_NAME = re.compile(r"[0-9]+-[0-9a-f]{16}\.zip")
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc)


class LostClaim(Exception):
    """Another worker took the job (this one's lease ran out): stop, write nothing more."""


def export_dir(settings: Settings) -> Path:
    return settings.data_dir / "exports"


def zip_path(settings: Settings, name: str) -> Path | None:
    """The path of a ZIP this module named, or None for any other name."""
    return export_dir(settings) / name if ZIP_NAME.fullmatch(name) else None


def when(value: Any) -> dt.datetime:
    """A time column as an aware datetime (SQLite hands back text, PostgreSQL datetimes)."""
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _lock(state: Any) -> asyncio.Lock:
    lock = getattr(state, "export_lock", None)
    if lock is None:
        lock = state.export_lock = asyncio.Lock()
    return lock


def wake(state: Any) -> None:
    """Run queued jobs now rather than at the next sweep (called after the queuing transaction committed)."""
    state.export_again = True
    running = getattr(state, "export_tasks", None)
    if running is None:
        running = state.export_tasks = set()
    task = asyncio.get_running_loop().create_task(_sweep_logged(state), name="elior-export")
    running.add(task)  # held until done: the loop keeps only weak references to tasks
    task.add_done_callback(running.discard)


async def _sweep_logged(state: Any) -> None:
    try:
        await sweep(state)
    except Exception as error:  # the periodic sweep tries again; a woken one must not die unheard
        log_failure(log, "export sweep failed", error)


async def sweep(state: Any) -> int:
    """Claim and run jobs until none is left; how many ran. One sweep at a time per process."""
    lock = _lock(state)
    if lock.locked():
        state.export_again = True  # the running sweep looks again before it stops
        return 0
    ran = 0
    async with lock:
        while True:
            state.export_again = False
            job = await claim(state.db)
            if job is None:
                if getattr(state, "export_again", False):
                    continue
                return ran
            await run(state.db, state.settings, job)
            ran += 1


async def claim(db: Any) -> dict[str, Any] | None:
    now = clock.now()
    # SQLite: one process, so a running job found by its first sweep died with the previous start.
    first = not getattr(db, "export_recovered", False)
    stale_before = FAR_FUTURE if first and db.dialect == "sqlite" else now
    db.export_recovered = True
    async with db.transaction():
        for row in await db.fetch_all("exports.jobs.give_up", stale_before=stale_before, max_attempts=MAX_ATTEMPTS,
                                      error="the export stopped unexpectedly several times; ask for a new one",
                                      now=now, expires_at=now + dt.timedelta(hours=1)):
            log.error("export given up after repeated crashes", extra={"export_id": row["id"]})
        job = await db.fetch_one("exports.jobs.claim", claim=secrets.token_hex(8), lease_until=now + LEASE, now=now,
                                 stale_before=stale_before)
    return None if job is None else dict(job)


async def run(db: Any, settings: Settings, job: dict[str, Any]) -> None:
    """Write the job's ZIP and record the outcome; never raises for a failed export (the row says it)."""
    export_id, client_id = int(job["id"]), int(job["client_id"])
    claim_token = str(job["claim"])
    folder = export_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for leftover in folder.glob(f"{export_id}-*.part"):  # what a dead worker left
        leftover.unlink(missing_ok=True)
    name = f"{export_id}-{secrets.token_hex(8)}.zip"
    part = folder / f"{name}.part"
    last = {"at": 0.0, "value": -1}

    async def progress(value: int) -> None:
        if value == last["value"] or time.monotonic() - last["at"] < PROGRESS_EVERY:
            return
        last.update(at=time.monotonic(), value=value)
        renewed = await db.fetch_val("exports.jobs.progress", id=export_id, claim=claim_token, progress=value,
                                     lease_until=clock.now() + LEASE)
        if renewed is None:
            raise LostClaim()

    started = time.monotonic()
    try:
        written = await write_client(db, settings, client_id, part, progress)
    except LostClaim:
        part.unlink(missing_ok=True)
        log.warning("export taken over by another worker", extra={"export_id": export_id})
        return
    except ExportError as error:
        part.unlink(missing_ok=True)
        await _fail(db, settings, export_id, claim_token, str(error))
        return
    except Exception:
        part.unlink(missing_ok=True)
        log.exception("export failed", extra={"export_id": export_id})
        await _fail(db, settings, export_id, claim_token, "the export failed; the error has been logged")
        return
    final = folder / name
    part.rename(final)
    now = clock.now()
    done = await db.fetch_val("exports.jobs.done", id=export_id, claim=claim_token, path=name,
                              size_bytes=written.size_bytes, now=now,
                              expires_at=now + dt.timedelta(hours=settings.export_expire_hours))
    if done is None:
        final.unlink(missing_ok=True)
        return
    log.info("export written", extra={"export_id": export_id, "client": client_id, "bytes": written.size_bytes,
                                      "files": written.files, "missing_files": len(written.missing),
                                      "seconds": round(time.monotonic() - started, 3)})


async def _fail(db: Any, settings: Settings, export_id: int, claim_token: str, error: str) -> None:
    now = clock.now()
    await db.fetch_val("exports.jobs.failed", id=export_id, claim=claim_token, error=error[:500], now=now,
                       expires_at=now + dt.timedelta(hours=settings.export_expire_hours))


async def remove_expired(db: Any, settings: Settings) -> int:
    """Delete finished exports past their expiry: the ZIP, then the row. How many were removed."""
    removed = 0
    while True:
        now = clock.now()
        rows = await db.fetch_all("exports.jobs.expired", now=now, limit=100)
        for row in rows:
            path = zip_path(settings, row["path"]) if row["path"] else None
            if path is not None:
                path.unlink(missing_ok=True)
            await db.execute("exports.jobs.delete", id=row["id"], now=now)
            removed += 1
        if len(rows) < 100:
            return removed


async def forget_client(db: Any, settings: Settings, client_id: int) -> None:
    """Remove the ZIPs of a client's exports (for deletion: the rows go with the user by foreign key)."""
    for row in await db.fetch_all("exports.jobs.paths_of_client", client_id=client_id):
        path = zip_path(settings, row["path"])
        if path is not None:
            path.unlink(missing_ok=True)

"""Housekeeping (elior/ops/housekeeping.py): one round removes exactly what has expired (refresh tokens, invites,
orphaned upload bytes, old access-log rows), reports rows whose bytes are gone, tidies SQLite, logs and counts what it
did; on PostgreSQL two processes running at once make one round."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.db.database import Database
from elior.ops.housekeeping import ORPHAN_GRACE, Housekeeping
from elior.settings import Settings
from tests.audit.world import raw_all, raw_execute
from tests.helpers import Studio, run

NOW = clock.now()
LONG_AGO = NOW - dt.timedelta(days=400)
YESTERDAY = NOW - dt.timedelta(days=1)
TOMORROW = NOW + dt.timedelta(days=1)


def seed_tokens_and_invites(client: TestClient, studio: Studio) -> None:
    login = raw_all(client, "SELECT id FROM logins WHERE user_id = :id", id=studio.client_a1.id)[0]["id"]
    for name, expires in (("expired-1", YESTERDAY), ("expired-2", LONG_AGO), ("live", TOMORROW)):
        raw_execute(client, "INSERT INTO refresh_tokens (login_id, token_hash, created_at, expires_at) "
                    "VALUES (:login, :hash, :now, :expires)", login=login, hash=name, now=LONG_AGO, expires=expires)
    for code, expires, used in (("old-unused", YESTERDAY, None), ("old-used", YESTERDAY, YESTERDAY),
                                ("live-unused", TOMORROW, None)):
        raw_execute(client, "INSERT INTO invites (code, role, created_by, created_at, expires_at, used_at) "
                    "VALUES (:code, 'client', :by, :now, :expires, :used)", code=code, by=studio.trainer_a.id,
                    now=LONG_AGO, expires=expires, used=used)


def seed_files(client: TestClient, studio: Studio, settings: Settings) -> dict[str, str]:
    folder = settings.upload_dir
    folder.mkdir(parents=True, exist_ok=True)
    names = {"kept": "K" * 32 + ".png", "orphan": "O" * 32 + ".png", "young_orphan": "Y" * 32 + ".png",
             "missing": "M" * 32 + ".png", "dead_temp": ".tmp-" + "d" * 24, "other": "notes.txt"}
    for key in ("kept", "orphan", "young_orphan", "dead_temp", "other"):
        (folder / names[key]).write_bytes(b"bytes")
    old = time.time() - 2 * 86400
    for key in ("orphan", "dead_temp", "other", "kept"):
        os.utime(folder / names[key], (old, old))
    for key in ("kept", "missing"):
        raw_execute(client, "INSERT INTO files (filename, owner_id, client_id, purpose, content_type, size, sha256, "
                    "created_at) VALUES (:name, :owner, :owner, 'progress_photo', 'image/png', 5, 'x', :now)",
                    name=names[key], owner=studio.client_a1.id, now=NOW)
    return names


def seed_access_log(client: TestClient, studio: Studio) -> None:
    for when in (LONG_AGO, NOW - dt.timedelta(days=364)):
        raw_execute(client, "INSERT INTO access_log (client_id, actor_id, actor_role, kind, created_at) "
                    "VALUES (:who, :actor, 'trainer', 'meal_plans.read', :when)", who=studio.client_a1.id,
                    actor=studio.trainer_a.id, when=when)


def test_housekeeping_round_removes_exactly_what_expired(client: TestClient, studio: Studio,
                                                         settings: Settings, caplog: Any) -> None:
    seed_tokens_and_invites(client, studio)
    names = seed_files(client, studio, settings)
    seed_access_log(client, studio)
    with caplog.at_level(logging.INFO, logger="elior.housekeeping"):
        counts = run(client, client.app.state.housekeeping.round)  # type: ignore[attr-defined]
    assert {key: counts[key] for key in ("refresh_tokens", "invites", "orphaned_files", "missing_files",
                                         "access_log")} == {
        "refresh_tokens": 2, "invites": 1, "orphaned_files": 2, "missing_files": 1, "access_log": 1}
    hashes = {row["token_hash"] for row in raw_all(client, "SELECT token_hash FROM refresh_tokens")}
    assert "live" in hashes and not hashes & {"expired-1", "expired-2"}
    codes = {row["code"] for row in raw_all(client, "SELECT code FROM invites")}
    assert codes == {"old-used", "live-unused"}
    left = {path.name for path in settings.upload_dir.iterdir()}
    assert left == {names["kept"], names["young_orphan"], names["other"]}
    assert len(raw_all(client, "SELECT id FROM access_log")) == 1  # the row of 364 days ago stays
    assert len(raw_all(client, "SELECT id FROM files")) == 2  # a row without bytes is reported, never deleted
    messages = {record.getMessage(): record for record in caplog.records}
    assert messages["housekeeping round"].counts == counts  # type: ignore[attr-defined]
    assert messages["stored files missing their bytes"].some == [names["missing"]]  # type: ignore[attr-defined]


def test_housekeeping_second_round_finds_nothing_left(client: TestClient, studio: Studio, settings: Settings) -> None:
    seed_tokens_and_invites(client, studio)
    seed_files(client, studio, settings)
    housekeeping = client.app.state.housekeeping  # type: ignore[attr-defined]
    run(client, housekeeping.round)
    again = run(client, housekeeping.round)
    assert (again["refresh_tokens"], again["invites"], again["orphaned_files"]) == (0, 0, 0)
    assert again["missing_files"] == 1  # still reported: it is still missing


def test_housekeeping_is_counted_in_metrics(client: TestClient, studio: Studio) -> None:
    seed_tokens_and_invites(client, studio)
    run(client, client.app.state.housekeeping.round)  # type: ignore[attr-defined]
    text = client.get("/metrics", headers=studio.admin.headers).text
    assert 'elior_housekeeping_items_total{step="refresh_tokens"} 2.0' in text
    assert 'elior_housekeeping_items_total{step="invites"} 1.0' in text
    rounds = next(line for line in text.splitlines() if line.startswith("elior_housekeeping_rounds_total "))
    assert float(rounds.split()[1]) == 1  # this one (the first in the server waits a minute)
    assert "elior_housekeeping_last_round_timestamp_seconds" in text


def test_housekeeping_runs_in_the_server_every_interval(settings: Settings) -> None:
    from elior.app import create_app

    jobs = {job.name: (job.interval, job.delay)
            for job in create_app(settings.with_overrides(housekeeping_interval=3600.0)).state.tasks.jobs}
    assert jobs["housekeeping"] == (3600.0, 60.0)  # the first round a minute after start, then hourly
    app = create_app(settings.with_overrides(housekeeping_interval=0.2))
    with TestClient(app):
        deadline = time.monotonic() + 10
        while app.state.housekeeping.rounds == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert app.state.housekeeping.rounds >= 1  # the first round, one interval after start


def test_housekeeping_a_failing_step_does_not_stop_the_others(client: TestClient, studio: Studio) -> None:
    housekeeping = client.app.state.housekeeping  # type: ignore[attr-defined]
    seed_tokens_and_invites(client, studio)

    async def broken() -> int:
        raise RuntimeError("a step that fails")

    housekeeping.steps.insert(0, ("broken", broken))
    failures = housekeeping.failures
    counts = run(client, housekeeping.round)
    assert "broken" not in counts and counts["refresh_tokens"] == 2
    assert housekeeping.failures == failures + 1


def test_housekeeping_sqlite_checkpoint_truncates_the_wal(client: TestClient, studio: Studio,
                                                         settings: Settings) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]
    if db.dialect != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    for n in range(200):
        raw_execute(client, "INSERT INTO login_failures (email, address, created_at) VALUES (:e, 'x', :now)",
                    e=f"{n}@x.test", now=NOW)
    counts = run(client, client.app.state.housekeeping.round)  # type: ignore[attr-defined]
    assert counts["sqlite"] == 1
    wal = db.path.with_name(db.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_housekeeping_two_processes_on_postgresql_run_one_round(settings: Settings, client: TestClient) -> None:
    if client.app.state.db.dialect != "postgresql":  # type: ignore[attr-defined]
        pytest.skip("the advisory lock is PostgreSQL's")

    async def both() -> list[Any]:
        first, second = Database(settings.database_url), Database(settings.database_url)
        await first.connect()
        await second.connect()
        try:
            entered, release = asyncio.Event(), asyncio.Event()
            ran: list[str] = []

            def slow(name: str) -> Any:
                async def step() -> int:
                    ran.append(name)
                    entered.set()
                    await release.wait()
                    return 0
                return step

            keepers = [Housekeeping(settings, first), Housekeeping(settings, second)]
            for name, keeper in zip(("first", "second"), keepers):
                keeper.steps = [("slow", slow(name))]
                keeper.tail = []
            one = asyncio.create_task(keepers[0].round())
            await entered.wait()  # the first holds the lock now, inside its step
            other = await keepers[1].round()
            release.set()
            return [await one, other, ran, keepers[1].skipped]
        finally:
            await first.disconnect()
            await second.disconnect()

    first_counts, second_counts, ran, skipped = run(client, both)
    assert first_counts == {"slow": 0} and second_counts is None
    assert ran == ["first"] and skipped == 1


def test_housekeeping_orphan_grace_spares_uploads_in_flight() -> None:
    assert ORPHAN_GRACE >= 600  # an upload publishes its bytes before it commits its row

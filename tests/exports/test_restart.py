"""A job interrupted by the server's end is finished by the next start: what a crash leaves (a `running` row with a
dead worker's claim, a half-written `.part` file) on both databases, and a real server SIGKILLed mid-export."""
from __future__ import annotations

import asyncio
import datetime as dt
import signal
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from bench.export import seed
from elior import clock
from elior.app import create_app
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.exports import jobs
from elior.exports.jobs import export_dir
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.exports.world import open_zip, wait_done
from tests.helpers import Studio, run
from tests.live_server import environment, signed_in_user, start
from tests.training_world import a1_workout


def leave_crashed_job(client: TestClient, settings: Settings, client_id: int, lease_until: dt.datetime) -> int:
    """What a worker that died mid-export leaves: its claim on a running row, and its partial ZIP."""
    db = client.app.state.db  # type: ignore[attr-defined]
    export_id = run(client, db.raw.fetch_val,
                    "INSERT INTO exports (client_id, status, progress, claim, lease_until, attempts, created_at, "
                    "started_at) VALUES (:client, 'running', 40, 'dead-worker', :lease, 1, :now, :now) RETURNING id",
                    {"client": client_id, "lease": lease_until, "now": clock.now()})
    export_dir(settings).mkdir(parents=True, exist_ok=True)
    (export_dir(settings) / f"{export_id}-00000000deadbeef.zip.part").write_bytes(b"PK\x03\x04 half a zip")
    return int(export_id)


@pytest.mark.parametrize("lease", ["expired", "still held"])
def test_the_next_start_finishes_a_crashed_job(client: TestClient, studio: Studio, settings: Settings,
                                               lease: str) -> None:
    if lease == "still held" and ON_POSTGRES:
        pytest.skip("PostgreSQL may have other live processes: a held lease is waited out (LEASE), not taken")
    a1_workout(client, studio)
    until = clock.now() + (dt.timedelta(seconds=-1) if lease == "expired" else dt.timedelta(minutes=5))
    export_id = leave_crashed_job(client, settings, studio.client_a1.id, until)
    client.__exit__(None, None, None)  # the server stops; a new one starts on the same database and data folder
    with TestClient(create_app(settings), raise_server_exceptions=False) as restarted:
        done = wait_done(restarted, studio.admin, export_id)
        assert (done["status"], done["progress"]) == ("done", 100), done
        archive = open_zip(restarted, done)
        assert archive.testzip() is None and "data.json" in archive.namelist()
        assert list(export_dir(settings).glob("*.part")) == []  # the dead worker's partial file is gone


def test_a_job_that_keeps_crashing_is_failed(client: TestClient, studio: Studio, settings: Settings) -> None:
    export_id = leave_crashed_job(client, settings, studio.client_a1.id, clock.now() - dt.timedelta(seconds=1))
    db = client.app.state.db  # type: ignore[attr-defined]
    run(client, db.raw.execute, f"UPDATE exports SET attempts = 3 WHERE id = {export_id}")
    run(client, jobs.sweep, client.app.state)  # type: ignore[attr-defined]  # the periodic sweep, run now
    failed = wait_done(client, studio.admin, export_id)
    assert failed["status"] == "failed" and "several times" in failed["error"] and failed["download_url"] is None


async def _seed(url: str, data_dir: Path) -> int:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
        settings = Settings(database_url=url, data_dir=data_dir, upload_dir=data_dir / "uploads",
                            file_encryption_key="42" * 32)
        return await seed(db, settings, workouts=3000, photos=150, photo_kb=200)
    finally:
        await db.disconnect()


@pytest.mark.slow
@pytest.mark.skipif(ON_POSTGRES, reason="SQLite: the restarted server takes the job at once (one process per "
                                        "SQLite file); on PostgreSQL it waits out the dead worker's lease")
def test_a_server_killed_mid_export_finishes_it_after_restart(tmp_path: Path) -> None:
    import httpx2 as httpx

    url = f"sqlite:///{tmp_path / 'elior.db'}"
    client_id = asyncio.run(_seed(url, tmp_path))
    _, token = signed_in_user(url, role="admin")
    env = environment(url, tmp_path, FILE_ENCRYPTION_KEY="42" * 32)
    headers = {"Authorization": f"Bearer {token}"}
    server = start(env, tmp_path / "first.log")
    try:
        started = httpx.post(f"{server.base_url}/api/exports", json={"client_id": client_id}, headers=headers)
        assert started.status_code == 202, started.text
        export_id = started.json()["id"]
        deadline = time.monotonic() + 30
        state: dict[str, Any] = {}
        parts = export_dir(Settings(data_dir=tmp_path))
        # Mid-job: claimed, and its partial ZIP on disk. (Not "progress > 0": progress is written at most once a
        # PROGRESS_EVERY, and a quick job can be done before a poll sees a figure.)
        while time.monotonic() < deadline:
            state = httpx.get(f"{server.base_url}/api/exports/{export_id}", headers=headers).json()
            if state["status"] == "running" and list(parts.glob("*.part")):
                break
            time.sleep(0.01)
        assert state["status"] == "running", state  # caught mid-job
    finally:
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
    assert list(export_dir(Settings(data_dir=tmp_path)).glob("*.part")), "the killed job left its partial ZIP"
    server = start(env, tmp_path / "second.log")
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = httpx.get(f"{server.base_url}/api/exports/{export_id}", headers=headers).json()
            if state["status"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert state["status"] == "done", state
        response = httpx.get(f"{server.base_url}{state['download_url']}", timeout=60)
        assert response.status_code == 200
        (tmp_path / "got.zip").write_bytes(response.content)
        with zipfile.ZipFile(tmp_path / "got.zip") as archive:
            assert archive.testzip() is None
            assert len([n for n in archive.namelist() if n.startswith("files/")]) == 150
    finally:
        server.terminate()
    assert list(export_dir(Settings(data_dir=tmp_path)).glob("*.part")) == []

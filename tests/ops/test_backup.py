"""Backup and restore: a live snapshot under a steady write load, restored with every write acknowledged before it."""
from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from pathlib import Path
from typing import Iterator

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from elior.ops import backup
from elior.ops.backup import Progress
from elior.settings import Settings
from tests import samples
from tests.conftest import ON_POSTGRES, fresh_postgres_database
from tests.files_server import files_server
from tests.helpers import Studio
from tests.live_server import ROOT, WriteLoad, environment, signed_in_user, start

UPLOADS = {"a1b2c3d4e5f6a7b8c9d0.jpg": os.urandom(300_000), "nested/f0e1d2c3b4a59687.pdf": b"%PDF-1.7 test"}


def elior(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "elior", *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def login_ids(database_url: str) -> set[int]:
    """What the database holds, read by the test itself (not through the code under test)."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(database_url.removeprefix("sqlite:///"))
        try:
            return {row[0] for row in connection.execute("SELECT id FROM logins")}
        finally:
            connection.close()

    async def fetch() -> set[int]:
        import asyncpg

        connection = await asyncpg.connect(database_url)
        try:
            return {row["id"] for row in await connection.fetch("SELECT id FROM logins")}
        finally:
            await connection.close()

    return asyncio.run(fetch())


def restored_url(tmp_path: Path, empty_database_url: str) -> str:
    return empty_database_url if ON_POSTGRES else f"sqlite:///{tmp_path / 'restored' / 'elior.db'}"


@pytest.fixture(scope="module")
def source_url(postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The backed-up database: a SQLite file, or a PostgreSQL database of this module's own."""
    if postgres_url is None:
        yield f"sqlite:///{tmp_path_factory.mktemp('source') / 'elior.db'}"
        return
    with fresh_postgres_database(f"elior_backup_{uuid.uuid4().hex[:8]}") as url:
        yield url


@pytest.fixture(scope="module")
def live_backup(source_url: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A server under write load; a backup taken in the middle; what was acknowledged before it began."""
    tmp_path = tmp_path_factory.mktemp("backup")
    data = tmp_path / "data"
    for name, content in UPLOADS.items():
        (data / "uploads" / name).parent.mkdir(parents=True, exist_ok=True)
        (data / "uploads" / name).write_bytes(content)
    _, token = signed_in_user(source_url)
    env = environment(source_url, data)
    archive = tmp_path / "studio.tar.gz"
    server = start(env, tmp_path / "server.log")
    try:
        with WriteLoad(server.base_url, token, threads=4) as load:
            load.wait_for(100)
            began = time.monotonic()
            result = elior(["backup", str(archive)], env)
            load.wait_for(len(load.acknowledged) + 50)  # the load went on through the backup and after it
        acknowledged_before = load.ids_before(began)
    finally:
        server.terminate()
    assert result.returncode == 0, result.stderr
    return {"archive": archive, "before": acknowledged_before, "all": load.all_ids(), "result": result,
            "token": token, "first_login": min(login_ids(source_url))}


def test_backup_under_write_load_restores_every_acknowledged_write(live_backup: dict[str, object], tmp_path: Path,
                                                                   empty_database_url: str) -> None:
    target_url = restored_url(tmp_path, empty_database_url)
    env = environment(target_url, tmp_path / "restored")
    result = elior(["restore", str(live_backup["archive"])], env)
    assert result.returncode == 0, result.stderr
    restored = login_ids(target_url)
    before: set[int] = live_backup["before"]  # type: ignore[assignment]
    assert len(before) >= 100
    assert before <= restored, f"lost {len(before - restored)} acknowledged writes"
    # Nothing the load did not write (the user's own first login aside).
    assert restored - {live_backup["first_login"]} <= live_backup["all"]  # type: ignore[operator]


def test_restore_brings_back_the_uploads(live_backup: dict[str, object], tmp_path: Path,
                                         empty_database_url: str) -> None:
    env = environment(restored_url(tmp_path, empty_database_url), tmp_path / "restored")
    assert elior(["restore", str(live_backup["archive"])], env).returncode == 0
    for name, content in UPLOADS.items():
        assert (tmp_path / "restored" / "uploads" / name).read_bytes() == content


def test_restored_data_serves(live_backup: dict[str, object], tmp_path: Path, empty_database_url: str) -> None:
    target_url = restored_url(tmp_path, empty_database_url)
    env = environment(target_url, tmp_path / "restored")
    assert elior(["restore", str(live_backup["archive"])], env).returncode == 0
    server = start(env, tmp_path / "restored.log")
    try:
        # The token issued before the backup still works, and a new write gets a fresh id (sequences restored).
        response = httpx.post(f"{server.base_url}/api/test/writes", timeout=5,
                              headers={"Authorization": f"Bearer {live_backup['token']}"})
    finally:
        server.terminate()
    assert response.status_code == 201, response.text
    assert response.json()["id"] > max(login_ids(target_url) - {response.json()["id"]})


def test_backup_shows_progress_on_stderr(live_backup: dict[str, object]) -> None:
    result: subprocess.CompletedProcess[str] = live_backup["result"]  # type: ignore[assignment]
    assert "archive" in result.stderr and "100%" in result.stderr
    assert "backup written to" in result.stdout


def test_archive_holds_the_manifest_database_and_uploads(live_backup: dict[str, object]) -> None:
    with tarfile.open(live_backup["archive"]) as archive:  # type: ignore[call-overload]
        names = set(archive.getnames())
    assert "manifest.json" in names
    assert names & {"database/elior.db", "database/elior.pgdump"}
    assert {f"uploads/{name}" for name in UPLOADS} <= names
    assert os.stat(live_backup["archive"]).st_mode & 0o077 == 0  # type: ignore[arg-type]


def test_restore_refuses_to_overwrite(live_backup: dict[str, object], tmp_path: Path,
                                      empty_database_url: str) -> None:
    target_url = restored_url(tmp_path, empty_database_url)
    env = environment(target_url, tmp_path / "restored")
    assert elior(["restore", str(live_backup["archive"])], env).returncode == 0
    before = login_ids(target_url)
    again = elior(["restore", str(live_backup["archive"])], env)
    assert again.returncode == 1
    assert "empty" in again.stderr and "Traceback" not in again.stderr
    assert login_ids(target_url) == before


def test_restore_refuses_a_folder_with_uploads(live_backup: dict[str, object], tmp_path: Path,
                                               empty_database_url: str) -> None:
    target = tmp_path / "restored"
    (target / "uploads").mkdir(parents=True)
    (target / "uploads" / "keep.jpg").write_bytes(b"mine")
    env = environment(restored_url(tmp_path, empty_database_url), target)
    result = elior(["restore", str(live_backup["archive"])], env)
    assert result.returncode == 1 and "not empty" in result.stderr
    assert (target / "uploads" / "keep.jpg").read_bytes() == b"mine"


def test_backup_refuses_an_existing_file(database_url: str, tmp_path: Path) -> None:
    signed_in_user(database_url)
    existing = tmp_path / "there.tar.gz"
    existing.write_bytes(b"precious")
    result = elior(["backup", str(existing)], environment(database_url, tmp_path / "data"))
    assert result.returncode == 1 and "exists" in result.stderr
    assert existing.read_bytes() == b"precious"


def test_restore_refuses_something_that_is_not_a_backup(tmp_path: Path, empty_database_url: str) -> None:
    bogus = tmp_path / "bogus.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(ROOT / "setup.cfg", arcname="setup.cfg")
    result = elior(["restore", str(bogus)], environment(restored_url(tmp_path, empty_database_url),
                                                        tmp_path / "restored"))
    assert result.returncode == 1 and "not an Elior backup" in result.stderr


def test_progress_bar_reaches_100_percent() -> None:
    import io

    stream = io.StringIO()
    bar = Progress("archive", 2048, stream=stream)
    bar.advance(1024)
    bar.finish()
    assert stream.getvalue().strip().endswith("100%  2.0 KB")


def test_files_deleted_while_the_backup_runs_are_in_it(database_url: str, empty_database_url: str,
                                                       tmp_path: Path) -> None:
    """Delete every file through the API as soon as the snapshot is taken; the restored copy still serves them all."""
    uploaded: dict[str, str] = {}
    archive = tmp_path / "studio.tar.gz"
    with files_server(database_url, tmp_path / "live") as server:
        auth = {"Authorization": f"Bearer {server.token}"}
        with httpx.Client(base_url=server.url, headers=auth, timeout=30) as http:
            for number in range(24):  # incompressible, so writing the archive takes a while after the snapshot
                data = b"%PDF-1.4\n" + os.urandom(1_500_000) + f"\n% {number}".encode()
                answer = http.post("/api/files/upload", data={"purpose": "document"},
                                   files={"file": (f"doc{number}.pdf", data, "application/pdf")})
                assert answer.status_code == 201, answer.text
                uploaded[answer.json()["filename"]] = hashlib.sha256(data).hexdigest()
            env = environment(database_url, tmp_path / "live")
            process = subprocess.Popen([sys.executable, "-m", "elior", "backup", str(archive)], cwd=ROOT, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            assert process.stderr is not None
            for line in process.stderr:  # "database [####] 100%" once the snapshot is taken
                if line.startswith("database"):
                    break
            deleted_during = 0
            for name in uploaded:
                assert http.delete(f"/api/files/{name}").status_code == 204
                deleted_during += process.poll() is None
            _, errors = process.communicate(timeout=120)
    assert process.returncode == 0, errors
    assert deleted_during > 0, "the backup ended before any delete: the test proved nothing"
    assert not [p for p in server.upload_dir.iterdir() if not p.name.startswith(".")]  # the bytes are gone

    target = tmp_path / "restored"
    target_url = restored_url(tmp_path, empty_database_url)
    restored = elior(["restore", str(archive)], environment(target_url, target))
    assert restored.returncode == 0, restored.stderr
    with files_server(target_url, target) as server:
        with httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {server.token}"},
                          timeout=30) as http:
            listing = http.get("/api/files", params={"limit": 100}).json()
            assert {item["filename"] for item in listing["items"]} == set(uploaded)
            for item in listing["items"]:
                download = http.get(item["url"])
                assert download.status_code == 200, f"{item['filename']}: {download.status_code}"
                assert hashlib.sha256(download.content).hexdigest() == uploaded[item["filename"]]


def test_a_row_whose_bytes_were_already_gone_is_a_warning_not_a_failure(
        client: TestClient, studio: Studio, settings: Settings, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Bytes lost before the backup (not a race it could win by trying again) must not make backups impossible."""
    names = []
    for _ in range(2):
        answer = client.post("/api/files/upload", headers=studio.admin.headers, data={"purpose": "avatar"},
                             files={"file": ("me.png", samples.png(), "image/png")})
        assert answer.status_code == 201, answer.text
        names.append(answer.json()["filename"])
    (settings.upload_dir / names[0]).unlink()
    manifest = backup.backup(settings, tmp_path / "studio.tar.gz")
    assert manifest["uploads"] == 1 and manifest["missing_files"] == 1
    assert "1 file row(s) had no bytes" in capsys.readouterr().err
    with tarfile.open(tmp_path / "studio.tar.gz") as archive:
        assert f"uploads/{names[1]}" in archive.getnames()

"""Files and folders are private: 0600 files in 0700 folders, on first start, after an upload, after a backup and a
restore, whatever umask the server was started with (here 0022, Docker's and most shells' default)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx2 as httpx
import pytest

from elior.ops import privacy
from elior.settings import Settings
from tests import samples
from tests.live_server import ROOT, environment, free_port, stop_process

LOOSE_UMASK = 0o022
ADMIN = {"email": "owner@example.test", "password": "correct horse battery"}


def loose_modes(root: Path) -> list[str]:
    """Every file under `root` that is not 0600 and every folder that is not 0700 (root included)."""
    wrong = []
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode != (privacy.FOLDER_MODE if path.is_dir() else privacy.FILE_MODE):
            wrong.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return wrong


def env_for(data_dir: Path, database_url: str) -> dict[str, str]:
    env = environment(database_url, data_dir, ELIOR_ADMIN_EMAIL=ADMIN["email"], ELIOR_ADMIN_PASSWORD=ADMIN["password"])
    env.pop("SECRET_KEY")  # so the development key is made in the data folder, and must be private too
    return env


def run(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "elior", *command], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, umask=LOOSE_UMASK)


class Serving:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        with log.open("wb") as handle:  # the log lives outside the data folder: it is the test's, not Elior's
            self.process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(self.port)],
                                            cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                            umask=LOOSE_UMASK)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                stop_process(self.process)
                raise AssertionError(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        token = httpx.post(f"{self.url}/api/auth/login", json=ADMIN, timeout=10).json()["access_token"]
        self.headers = {"Authorization": f"Bearer {token}"}

    def stop(self) -> None:
        stop_process(self.process)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield f"sqlite:///{tmp_path / 'data' / 'elior.db'}"


def test_modes_after_start_upload_backup_and_restore(sqlite_url: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    server = Serving(env_for(data, sqlite_url), tmp_path / "server.log")
    try:
        assert {p.name for p in data.iterdir()} >= {"elior.db", "secret_key"}
        assert loose_modes(data) == [], "after the first start"
        answer = httpx.post(f"{server.url}/api/files/upload", headers=server.headers, data={"purpose": "avatar"},
                            files={"file": ("me.png", samples.png(), "image/png")}, timeout=30)
        assert answer.status_code == 201, answer.text
        assert Path(f"{sqlite_url.removeprefix('sqlite:///')}-wal").exists()  # written to: the WAL is there
        assert loose_modes(data) == [], "after an upload"
        archive = tmp_path / "backups" / "studio.tar.gz"
        made = run(["backup", str(archive)], env_for(data, sqlite_url))
        assert made.returncode == 0, made.stderr
        assert stat.S_IMODE(archive.stat().st_mode) == 0o600
        assert loose_modes(data) == [], "after a backup"
    finally:
        server.stop()
    restored = tmp_path / "restored"
    restored_url = f"sqlite:///{restored / 'elior.db'}"
    done = run(["restore", str(archive)], env_for(restored, restored_url))
    assert done.returncode == 0, done.stderr
    assert (restored / "uploads" / answer.json()["filename"]).is_file()
    assert loose_modes(restored) == [], "after a restore"
    again = Serving(env_for(restored, restored_url), tmp_path / "restored.log")
    again.stop()
    assert loose_modes(restored) == [], "after a start on the restored data"


def test_a_loose_data_folder_is_tightened_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "uploads" / "nested").mkdir(parents=True)
    for path in (data / "elior.db", data / "elior.db-wal", data / "secret_key", data / "uploads" / "a.jpg",
                 data / "uploads" / "nested" / "b.pdf"):
        path.write_bytes(b"x")
        path.chmod(0o644)
    for folder in (data, data / "uploads", data / "uploads" / "nested"):
        folder.chmod(0o755)
    settings = Settings(database_url=f"sqlite:///{data / 'elior.db'}", data_dir=data, upload_dir=data / "uploads")
    changed = privacy.tighten(settings)
    assert loose_modes(data) == []
    assert len(changed) == 8
    assert privacy.tighten(settings) == []  # nothing left to change: a second start touches nothing


def test_tighten_never_follows_a_symlink_nor_touches_what_is_not_elior_s(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("someone else's")
    outside.chmod(0o644)
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    (data / "uploads" / "link.jpg").symlink_to(outside)
    (data / "notes.txt").write_text("the owner's own file beside the data")
    (data / "notes.txt").chmod(0o644)
    privacy.tighten(Settings(database_url=f"sqlite:///{data / 'elior.db'}", data_dir=data,
                             upload_dir=data / "uploads"))
    assert stat.S_IMODE(outside.stat().st_mode) == 0o644
    assert stat.S_IMODE((data / "notes.txt").stat().st_mode) == 0o644
    assert stat.S_IMODE(data.stat().st_mode) == 0o700


def test_the_private_umask_applies_to_what_the_process_creates(tmp_path: Path) -> None:
    previous = privacy.private_umask()
    try:
        (tmp_path / "made").mkdir()
        (tmp_path / "made" / "file").write_bytes(b"x")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "made").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "made" / "file").stat().st_mode) == 0o600

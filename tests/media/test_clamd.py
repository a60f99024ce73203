"""Virus scanning against a real clamd, started here with a signature made at test time from a test file's hash.

The public signature feed is not reachable here, so `sigtool --md5 FILE > test.hdb` turns one PDF built in the test
into a signature; clamd loads only that. Skips, saying why, where clamd or sigtool is not installed.
"""
from __future__ import annotations

import asyncio
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from elior.media import clamd
from elior.settings import Settings
from tests import samples
from tests.helpers import Studio, assert_error
from tests.live_server import free_port, stop_process

INFECTED = samples.pdf(text=b"Elior clamd test signature")  # what the test signature matches
CLEAN = samples.pdf(text=b"an ordinary training plan")
CLAMD = shutil.which("clamd") or shutil.which("/usr/sbin/clamd")
SIGTOOL = shutil.which("sigtool")


@dataclass
class Clamd:
    socket: str
    port: int


@pytest.fixture(scope="module")
def clamd_server() -> Iterator[Clamd]:
    if CLAMD is None or SIGTOOL is None:
        pytest.skip("clamd and sigtool are not installed (Debian: apt-get install clamav-daemon clamav)")
    # A short path of our own: unix socket paths are limited to 108 bytes, pytest's tmp paths can be longer.
    home = Path(tempfile.mkdtemp(prefix="elior-clamd-"))
    (home / "db").mkdir()
    (home / "infected.pdf").write_bytes(INFECTED)
    signature = subprocess.run([SIGTOOL, "--md5", str(home / "infected.pdf")], check=True, capture_output=True)
    (home / "db" / "test.hdb").write_bytes(signature.stdout)
    port = free_port()
    (home / "clamd.conf").write_text(
        f"LocalSocket {home / 'clamd.sock'}\nTCPSocket {port}\nTCPAddr 127.0.0.1\nDatabaseDirectory {home / 'db'}\n"
        f"Foreground yes\nLogFile {home / 'clamd.log'}\nPidFile {home / 'clamd.pid'}\nStreamMaxLength 20M\n")
    process = subprocess.Popen([CLAMD, "-c", str(home / "clamd.conf")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not _accepts(home / "clamd.sock"):
            if process.poll() is not None or time.monotonic() > deadline:
                log = (home / "clamd.log").read_text() if (home / "clamd.log").exists() else ""
                pytest.fail(f"clamd did not start: {log[-2000:]}")
            time.sleep(0.1)
        yield Clamd(str(home / "clamd.sock"), port)
    finally:
        stop_process(process)
        shutil.rmtree(home, ignore_errors=True)


def _accepts(path: Path) -> bool:
    try:
        with socket.socket(socket.AF_UNIX) as probe:
            probe.connect(str(path))
            probe.sendall(b"zPING\x00")
            return probe.recv(16).startswith(b"PONG")
    except OSError:
        return False


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    """`@pytest.mark.parametrize("settings", ["unix" | "tcp" | "unreachable"], indirect=True)` picks the scanner."""
    mode = getattr(request, "param", "unix")
    if mode == "unreachable":
        return settings.with_overrides(clamd_socket=str(settings.data_dir / "no-clamd-here.sock"))
    server = request.getfixturevalue("clamd_server")
    if mode == "tcp":
        return settings.with_overrides(clamd_host="127.0.0.1", clamd_port=server.port)
    return settings.with_overrides(clamd_socket=server.socket)


def upload(client: TestClient, studio: Studio, data: bytes) -> Any:
    return client.post("/api/files/upload", headers=studio.client_a1.headers, data={"purpose": "document"},
                       files={"file": ("plan.pdf", data, "application/pdf")})


def assert_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert list(settings.upload_dir.iterdir()) == []
    assert client.get("/api/files", headers=studio.admin.headers).json()["total"] == 0


@pytest.mark.parametrize("settings", ["unix", "tcp"], indirect=True)
def test_clamd_finding_is_422_and_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    body = assert_error(upload(client, studio, INFECTED), 422)
    assert body["detail"][0]["loc"] == ["body", "file"] and "virus" in body["detail"][0]["msg"]
    assert_nothing_kept(client, studio, settings)


@pytest.mark.parametrize("settings", ["unix", "tcp"], indirect=True)
def test_clamd_passes_a_clean_file(client: TestClient, studio: Studio) -> None:
    response = upload(client, studio, CLEAN)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize("settings", ["unreachable"], indirect=True)
def test_clamd_unreachable_is_503_and_nothing_kept(client: TestClient, studio: Studio, settings: Settings) -> None:
    assert_error(upload(client, studio, CLEAN), 503)
    assert_nothing_kept(client, studio, settings)


def test_scan_file_names_the_signature(clamd_server: Clamd, tmp_path: Path) -> None:
    path = tmp_path / "infected.pdf"
    path.write_bytes(INFECTED)
    verdict = asyncio.run(clamd.scan_file(Settings(clamd_socket=clamd_server.socket), path))
    assert verdict is not None and "infected.pdf" in verdict


def test_parse_reply_reads_ok_found_and_error() -> None:
    assert clamd.parse_reply(b"stream: OK\x00") is None
    assert clamd.parse_reply(b"stream: Eicar-Test-Signature FOUND\x00") == "Eicar-Test-Signature"
    with pytest.raises(clamd.ScannerUnavailable):
        clamd.parse_reply(b"INSTREAM size limit exceeded. ERROR\x00")

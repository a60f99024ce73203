"""Virus scanning against a real clamd, started here with a signature made at test time from a test file's hash.

The public signature feed is not reachable here, so `sigtool --md5 FILE > test.hdb` turns one PDF built in the test
into a signature; clamd loads only that. Skips, saying why, where clamd or sigtool is not installed.
"""
from __future__ import annotations

import asyncio
import contextlib
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest
from starlette.testclient import TestClient

from elior.media import clamd
from elior.settings import Settings
from tests import samples
from tests.files_server import files_server
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
    answer = upload(client, studio, CLEAN)
    assert_error(answer, 503)
    assert answer.headers["retry-after"] == "30"  # a script knows when to try again
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


# --- scanners that misbehave, against a real server process (bounds, not measurements) ---

@contextlib.contextmanager
def fake_clamd(behaviour: str) -> Iterator[int]:
    """A TCP "clamd" on a free port that `never-reads` (a tiny receive buffer, nothing read: the upload's sender
    blocks once the buffers fill), stays `silent` (reads everything, never answers), or is `full` (its accept
    queue full, so a connect never completes)."""
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # inherited by the accepted sockets
    listener.bind(("127.0.0.1", 0))
    listener.listen(0 if behaviour == "full" else 8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def drain(conn: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while not stop.is_set() and conn.recv(65536):
                pass

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            held.append(conn)
            if behaviour == "silent":
                threading.Thread(target=drain, args=(conn,), daemon=True).start()

    if behaviour == "full":  # fill the accept queue (backlog 0 holds one) and never accept
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                filler.connect(listener.getsockname())
            held.append(filler)
    else:
        threading.Thread(target=serve, daemon=True).start()
    try:
        yield int(listener.getsockname()[1])
    finally:
        stop.set()
        listener.close()
        for conn in held:
            conn.close()


@pytest.mark.parametrize(("behaviour", "size"), [("never-reads", 8 * 1024 * 1024), ("silent", 64 * 1024),
                                                 ("full", 64 * 1024)])
def test_a_scanner_that_stalls_is_503_within_its_timeout_and_nothing_kept(behaviour: str, size: int,
                                                                          database_url: str, tmp_path: Path) -> None:
    """Before: a scanner that stopped reading held the upload forever (drain() had no bound), a silent one for 60 s
    whatever the settings said."""
    timeouts = {"CLAMD_CONNECT_TIMEOUT_SECONDS": "0.5", "CLAMD_SEND_TIMEOUT_SECONDS": "1",
                "CLAMD_REPLY_TIMEOUT_SECONDS": "1"}
    with fake_clamd(behaviour) as port, files_server(database_url, tmp_path, CLAMD_HOST="127.0.0.1",
                                                     CLAMD_PORT=str(port), **timeouts) as server:
        auth = {"Authorization": f"Bearer {server.token}"}
        with httpx.Client(base_url=server.url, headers=auth, timeout=4) as http:  # the old connect bound was 5 s
            answer = http.post("/api/files/upload", data={"purpose": "document"},
                               files={"file": ("plan.pdf", samples.pdf(pad_to=size), "application/pdf")})
            assert_error(answer, 503)
            assert http.get("/api/files").json()["total"] == 0
            assert http.get("/health").status_code == 200
        assert list(server.upload_dir.iterdir()) == []

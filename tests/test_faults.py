"""Faults of the machine, met by a real `python -m elior serve`: a full disk answers 507, a database out of reach or
locked answers 503, both with Retry-After in the envelope, and the same keep-alive connection serves the next request
once the fault is gone (before: a 500, then the server dropped the connection).

The disk is really full: the server runs in a mount namespace of its own where UPLOAD_DIR is a 1 MB tmpfs (`unshare`,
as root or in a user namespace; skipped, saying why, where neither is allowed). The database is really away: on
SQLite another process holds the write lock past the server's busy timeout; on PostgreSQL the server reaches the
database through a TCP proxy in this test, which is cut and restored.
"""
from __future__ import annotations

import contextlib
import json
import os
import socket
import sqlite3
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from starlette.types import ASGIApp, Receive, Scope, Send

from elior.web.errors import EXCEPTION_HANDLERS, Faults
from tests import samples
from tests.live.serve import Served, elior_serve, read_response
from tests.live_server import signed_in_user

MOUNT = 'mount -t tmpfs -o size=1m,mode=0700 tmpfs "$0" && exec "$@"'


def private_tmpfs(target: Path) -> list[str] | None:
    """The command prefix that runs a program with a 1 MB tmpfs on `target` that only it sees, or None."""
    namespace = ["unshare", "--mount", "--propagation", "private"] if os.geteuid() == 0 else \
        ["unshare", "--user", "--map-root-user", "--mount"]
    prefix = [*namespace, "--", "sh", "-c", MOUNT, str(target)]
    try:
        probe = subprocess.run([*prefix, "true"], capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if probe.returncode == 0 else None


def request(path: str, token: str, method: str = "GET", body: bytes = b"", content_type: str = "") -> bytes:
    head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
    if body or method != "GET":
        head += f"Content-Type: {content_type or 'application/json'}\r\nContent-Length: {len(body)}\r\n"
    return head.encode() + b"\r\n" + body


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "elior-fault-test-boundary"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\ndocument\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def assert_fault(answer: tuple[int, dict[str, str], bytes], status: int) -> None:
    code, headers, body = answer
    assert code == status, body
    envelope = json.loads(body)
    assert set(envelope) == {"error", "detail", "status_code"} and envelope["status_code"] == status, envelope
    assert int(headers["retry-after"]) > 0
    assert headers.get("connection") != "close"


def test_an_upload_on_a_full_disk_is_507_and_the_connection_stays_usable(database_url: str, tmp_path: Path) -> None:
    uploads = tmp_path / "uploads"
    uploads.mkdir(mode=0o700)
    wrapper = private_tmpfs(uploads)
    if wrapper is None:
        pytest.skip("no private mount namespace here (unshare --mount, as root or in a user namespace)")
    _, token = signed_in_user(database_url, "admin")
    body, content_type = multipart(samples.pdf(pad_to=2 * 1024 * 1024))  # twice what the disk holds
    with elior_serve(database_url, tmp_path, wrapper=wrapper) as served, served.connect(timeout=30) as sock:
        sock.sendall(request("/api/files/upload", token, "POST", body, content_type))
        assert_fault(read_response(sock), 507)
        sock.sendall(request("/api/files", token))  # the same connection
        status, _, listing = read_response(sock)
        assert status == 200 and json.loads(listing)["total"] == 0
        # What the server sees in its own mount namespace: nothing kept, not even a temp file.
        assert os.listdir(f"/proc/{served.process.pid}/root{uploads}") == []
    assert "Traceback" not in served.log()


# --- the database out of reach ---

class Proxy:
    """TCP between the server and PostgreSQL, which the test can cut (every connection closed, new ones refused)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.restore()

    def restore(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port, self.listener = listener.getsockname()[1], listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        with self.lock:
            listener, self.listener = self.listener, None
            for sock in self.open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.open.clear()
        # close() alone does not wake a thread blocked in accept() on Linux, which would then take one more
        # connection through a proxy meant to be cut; shutdown() does (accept fails with EINVAL).
        if listener is not None:  # None: cut already
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target)
            except OSError:
                return
            with self.lock:
                if self.listener is not listener:  # cut while this connection was being made: it must not pass
                    client.close()
                    upstream.close()
                    return
                self.open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@contextlib.contextmanager
def outage(database_url: str) -> Iterator[tuple[str, Any, Any]]:
    """(the URL the server uses, start the outage, end it) for either database."""
    if database_url.startswith("postgresql"):
        parts = urlsplit(database_url)
        proxy = Proxy((parts.hostname or "127.0.0.1", parts.port or 5432))
        netloc = f"{parts.username}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
        try:
            yield urlunsplit(parts._replace(netloc=netloc)), proxy.cut, proxy.restore
        finally:
            proxy.cut()
        return
    holder = sqlite3.connect(urlsplit(database_url).path, isolation_level=None, timeout=30)

    def lock() -> None:  # the write lock, held past the server's busy timeout (reads go on in WAL mode)
        holder.execute("BEGIN EXCLUSIVE")

    try:
        yield database_url, lock, lambda: holder.execute("ROLLBACK")
    finally:
        holder.close()


def test_a_database_outage_is_503_and_the_connection_stays_usable(database_url: str, tmp_path: Path) -> None:
    trainer_id, trainer = signed_in_user(database_url, "trainer")
    client_id, _ = signed_in_user(database_url, "client", trainer_id=trainer_id)
    workout = json.dumps({"client_id": client_id, "title": "Legs", "scheduled_for": "2026-12-24"}).encode()
    with outage(database_url) as (served_url, start, end), elior_serve(served_url, tmp_path) as served:
        with served.connect(timeout=60) as sock:
            sock.sendall(request("/api/workouts", trainer, "POST", workout))
            assert read_response(sock)[0] == 201  # signed in (the session is cached for a few seconds), all well
            start()
            sock.sendall(request("/api/workouts", trainer, "POST", workout))
            assert_fault(read_response(sock), 503)
            end()
            assert recovers(served, sock, request("/api/workouts", trainer, "POST", workout)) == 201
    assert "Traceback" not in served.log()


def recovers(served: Served, sock: socket.socket, again: bytes) -> int:
    """The answer on the same connection once the database is back (the pool may take a moment to reconnect)."""
    deadline = time.monotonic() + 30
    while True:
        sock.sendall(again)
        status, _, _ = read_response(sock)
        if status != 503 or time.monotonic() > deadline:
            return status
        time.sleep(0.5)


# --- the same faults raised in middleware (the sign-in check reads the database) ---

class ReadsALockedDatabase:
    """A middleware that, like the sign-in check, reads the database before the endpoint runs: here a real SQLite
    file whose lock another connection holds, read with no busy timeout."""

    def __init__(self, app: ASGIApp, path: str) -> None:
        self.app, self.path = app, path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            with contextlib.closing(sqlite3.connect(self.path, timeout=0)) as reader:
                reader.execute("SELECT count(*) FROM sqlite_master").fetchall()
        await self.app(scope, receive, send)


@pytest.mark.parametrize("with_faults", [True, False])
def test_faults_middleware_answers_a_fault_raised_in_middleware(tmp_path: Path, with_faults: bool) -> None:
    """Without it, Starlette's ServerErrorMiddleware answers (503 too) and then re-raises, which is what makes uvicorn
    drop the connection: the TestClient shows the re-raise as the exception itself."""
    path = str(tmp_path / "locked.db")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")  # rollback journal: readers are locked out too
    middleware = ([Middleware(Faults)] if with_faults else []) + [Middleware(ReadsALockedDatabase, path=path)]
    app = Starlette(routes=[Route("/", lambda request: PlainTextResponse("ok"))], middleware=middleware,
                    exception_handlers=EXCEPTION_HANDLERS)
    try:
        with TestClient(app) as client:  # server exceptions raised in the test
            if not with_faults:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    client.get("/")
                return
            answer = client.get("/")
    finally:
        holder.close()
    assert answer.status_code == 503 and answer.headers["retry-after"] == "5"
    assert set(answer.json()) == {"error", "detail", "status_code"}

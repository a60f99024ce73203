"""`python -m elior serve` as a child process on a free port, for tests of what only a real server shows (connection
limits, faults, signals); optionally inside a wrapper command (`unshare ...`), always stopped."""
from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from tests.live_server import ROOT, environment, free_port, stop_process


@dataclass
class Served:
    process: "subprocess.Popen[bytes]"
    port: int
    log_path: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def connect(self, timeout: float = 10.0) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.port), timeout=timeout)


@contextlib.contextmanager
def elior_serve(database_url: str, data_dir: Path, wrapper: Sequence[str] = (), **env: str) -> Iterator[Served]:
    """The production command with the tests' environment (tests/live_server.environment) plus `env`."""
    port = free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([*wrapper, sys.executable, "-m", "elior", "serve", "--port", str(port)], cwd=ROOT,
                                   env=environment(database_url, data_dir, **env), stdout=log, stderr=subprocess.STDOUT)
    served = Served(process, port, log_path)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{served.base_url}/health", timeout=1):  # noqa: S310 - loopback
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start:\n{served.log()[-3000:]}") from None
                time.sleep(0.1)
        yield served
    finally:
        stop_process(process)


def read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 response with a Content-Length body off a raw socket: (status, headers, body)."""
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise ConnectionError(f"the server closed the connection after {head!r}")
        head += chunk
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:] if line)}
    body = b""
    while len(body) < int(headers.get("content-length", "0")):
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection mid-body")
        body += chunk
    return int(lines[0].split()[1]), headers, body


def closed_by_peer(sock: socket.socket) -> bool:
    """True once the server has closed (EOF or reset) this connection; waits up to the socket's timeout."""
    try:
        while sock.recv(65536):
            pass
    except (ConnectionResetError, BrokenPipeError):
        return True
    except TimeoutError:
        return False
    return True

"""A real `python -m elior serve` process on a free loopback port, for the file tests and benchmark whose behaviour
depends on the server (streaming request bodies, memory): started with an admin signed in, always stopped."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from tests.live_server import free_port, stop_process

ROOT = Path(__file__).resolve().parent.parent
ADMIN_EMAIL = "owner@example.test"
ADMIN_PASSWORD = "correct horse battery"


@dataclass
class FilesServer:
    host: str
    port: int
    pid: int
    token: str
    upload_dir: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _post_json(url: str, body: dict[str, str]) -> dict[str, object]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
        return json.loads(response.read())  # type: ignore[no-any-return]


@contextlib.contextmanager
def files_server(database_url: str, data_dir: Path, **env: str) -> Iterator[FilesServer]:
    """`python -m elior serve` on 127.0.0.1 (the command the Procfile and the Dockerfile run, so the same uvicorn
    options and shutdown); yields once /health answers and the admin has signed in."""
    port = free_port()
    upload_dir = data_dir / "uploads"
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("ELIOR_", "DATABASE_URL", "FILE_", "CLAMD_", "UPLOAD_", "MAX_UPLOAD"))}
    environment.update({"DATABASE_URL": database_url, "ELIOR_DATA_DIR": str(data_dir),
                        "UPLOAD_DIR": str(upload_dir), "SECRET_KEY": "files-server-secret-key-long-enough-0123456789",
                        "ELIOR_ADMIN_EMAIL": ADMIN_EMAIL, "ELIOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
                        "BCRYPT_ROUNDS": "4", "LOG_LEVEL": "WARNING", "RATE_LIMIT_PER_MINUTE": "0",
                        "PYTHONPATH": str(ROOT), **env})
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "elior", "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=environment, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):  # noqa: S310
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log_path.read_text()[-3000:]}") from None
                time.sleep(0.1)
        tokens = _post_json(f"http://127.0.0.1:{port}/api/auth/login",
                            {"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD})
        yield FilesServer("127.0.0.1", port, process.pid, str(tokens["access_token"]), upload_dir)
    finally:
        stop_process(process)

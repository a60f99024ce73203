"""A real uvicorn process on a free port, a signed-in user for it, and a steady write load against it."""
from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx

from elior import clock
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.settings import Settings
from elior.web.tokens import make_access_token

ROOT = Path(__file__).resolve().parent.parent
SECRET = "live-test-secret-key-that-is-long-enough-for-hs256"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def environment(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("ELIOR_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": database_url, "ELIOR_DATA_DIR": str(data_dir), "UPLOAD_DIR": str(data_dir / "uploads"),
                "SECRET_KEY": SECRET, "LOG_LEVEL": "WARNING", "RATE_LIMIT_PER_MINUTE": "0", "BCRYPT_ROUNDS": "4",
                "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


async def _signed_in_user(database_url: str, role: str, trainer_id: int | None) -> tuple[int, str]:
    db = Database(database_url)
    await db.connect()
    try:
        await migrate(db)
        email = f"{role}-{time.monotonic_ns()}@example.test"
        user = await db.fetch_one("accounts.users.insert", email=email, password_hash="x", full_name=f"Live {role}",
                                  role=role, trainer_id=trainer_id, now=clock.now())
        assert user is not None
        login_id = await db.fetch_val("accounts.auth.create_login", user_id=user["id"], now=clock.now(),
                                      user_agent="test", address="127.0.0.1")
    finally:
        await db.disconnect()
    token, _ = make_access_token(Settings(secret_key=SECRET), user_id=user["id"], role=role, login_id=login_id)
    return user["id"], token


def signed_in_user(database_url: str, role: str = "trainer", trainer_id: int | None = None) -> tuple[int, str]:
    """Migrate the database and write a user with a live login; its id and an access token for the server."""
    return asyncio.run(_signed_in_user(database_url, role, trainer_id))


def stop_process(process: "subprocess.Popen[bytes]") -> None:
    """SIGTERM, then SIGKILL if the process has not exited within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def terminate(self, timeout: float = 20.0) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"the server did not stop within {timeout} s:\n{self.log()[-3000:]}")


def start(env: dict[str, str], log_path: Path, module: str = "tests.live_app") -> Server:
    port = free_port()
    with log_path.open("wb") as handle:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([sys.executable, "-m", module, "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}:\n{server.log()[-3000:]}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.05)
    server.terminate()
    raise AssertionError(f"the server did not answer /health within 30 s:\n{server.log()[-3000:]}")


@dataclass
class WriteLoad:
    """Threads posting writes as fast as the server answers; every 201's id is kept with the time of its answer."""

    base_url: str
    token: str
    threads: int = 4
    acknowledged: list[tuple[float, int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _workers: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __enter__(self) -> "WriteLoad":
        for _ in range(self.threads):
            worker = threading.Thread(target=self._run, daemon=True)
            worker.start()
            self._workers.append(worker)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(30)

    def wait_for(self, count: int, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.acknowledged)} writes in {timeout} s; failures: "
                                     f"{self.failures[:5]}")
            time.sleep(0.01)

    def ids_before(self, moment: float) -> set[int]:
        with self._lock:
            return {ident for at, ident in self.acknowledged if at < moment}

    def all_ids(self) -> set[int]:
        with self._lock:
            return {ident for _, ident in self.acknowledged}

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base_url, headers=headers, timeout=30) as http:
            while not self._stop.is_set():
                try:
                    response = http.post("/api/test/writes")
                except httpx.HTTPError as error:  # refused or closed: the server is going away
                    self.failures.append(type(error).__name__)
                    time.sleep(0.01)
                    continue
                if response.status_code == 201:
                    with self._lock:
                        self.acknowledged.append((time.monotonic(), response.json()["id"]))
                else:
                    self.failures.append(f"{response.status_code} {response.text[:200]}")

"""What the browser tests and bench/spa_load.py share: a real `python -m elior serve` process on a temporary
database, a small API client to set the scene, and Debian's chromium driven by Playwright."""
from __future__ import annotations

import base64
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the pinned client (requirements-dev.txt); same API as httpx

from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
ADMIN_EMAIL = "owner@studio.test"
ADMIN_PASSWORD = "owner password 1"
PASSWORD = "correct horse battery"


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (CI installs Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    return None


@dataclass
class Server:
    """A real uvicorn process serving the app on a port of its own, with the owner created from the environment."""

    database_url: str | None = None
    port: int = 0
    data_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="elior-spa-")))
    process: subprocess.Popen[bytes] | None = None
    log_file: Any = None
    callers: list["Api"] = field(default_factory=list)  # closed with the server
    admin: bool = True  # False: no ELIOR_ADMIN_*, so the server offers its one-time setup URL instead

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        self.port = self.port or free_port()
        env = {**os.environ, "ELIOR_DATA_DIR": str(self.data_dir), "BCRYPT_ROUNDS": "4", "LOG_LEVEL": "INFO",
               "SECRET_KEY": "spa-test-secret-key-0123456789abcdef", "UPLOAD_DIR": str(self.data_dir / "uploads")}
        for name in ("ELIOR_ADMIN_EMAIL", "ELIOR_ADMIN_PASSWORD", "ENVIRONMENT", "DATABASE_URL"):
            env.pop(name, None)
        if self.admin:
            env.update(ELIOR_ADMIN_EMAIL=ADMIN_EMAIL, ELIOR_ADMIN_PASSWORD=ADMIN_PASSWORD)
        env["DATABASE_URL"] = self.database_url or f"sqlite:///{self.data_dir / 'elior.db'}"
        self.log_file = open(self.data_dir / "server.log", "wb")
        self.process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(self.port)],
                                        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=self.log_file)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = self.log()[-2000:]
                self.stop()  # closes the log file too: a leaked handle fails the run (warnings are errors)
                raise RuntimeError(f"the server exited: {log}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not answer /health within 30 s")

    def log(self) -> str:
        path = self.data_dir / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def setup_token(self) -> str:
        """The token of the one-time setup URL the server logs when it starts without an admin."""
        found = re.search(r"/setup\?token=([^\s\"]+)", self.log())
        assert found, f"no setup URL in the server's log: {self.log()[-1000:]}"
        return found.group(1)

    def stop(self) -> None:
        for caller in self.callers:
            caller.close()
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.log_file is not None:
            self.log_file.close()
            self.log_file = None
        shutil.rmtree(self.data_dir, ignore_errors=True)


class Api:
    """A signed-in API caller, to set the scene and to act as the other person in a scene."""

    def __init__(self, server: Server, email: str, password: str) -> None:
        self.http = httpx.Client(base_url=server.url, timeout=20)
        server.callers.append(self)
        answer = self.http.post("/api/auth/login", json={"email": email, "password": password})
        assert answer.status_code == 200, answer.text
        self.user: dict[str, Any] = answer.json()["user"]
        self.http.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        answer = self.http.request(method, path, **kwargs)
        assert answer.status_code == expect, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def close(self) -> None:
        self.http.close()


def mail_to(monkeypatch: Any, port: int) -> None:
    """The next Server started sends mail to a test's SMTP server on `port` (plain SMTP, the queue polled every
    second)."""
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(port))
    monkeypatch.setenv("SMTP_STARTTLS", "false")
    monkeypatch.setenv("MAIL_FROM", "Elior Studio <studio@example.test>")
    monkeypatch.setenv("MAIL_POLL_SECONDS", "1")


def register_by_invite(server: Server, inviter: Api, role: str, full_name: str) -> tuple[str, Api]:
    """A new account made the way people make them: an invite, then registration with its code."""
    code = inviter.call("POST", "/api/invites", 201, json={"role": role})["code"]
    email = f"{role}-{uuid.uuid4().hex[:8]}@studio.test"
    answer = httpx.post(f"{server.url}/api/auth/register", timeout=20,
                        json={"email": email, "password": PASSWORD, "full_name": full_name, "invite_code": code})
    assert answer.status_code == 201, answer.text
    return email, Api(server, email, PASSWORD)


def launch(playwright: Any) -> Any:
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def watch_console(page: Any, problems: list[str]) -> None:
    """Collect every console error (CSP violations are reported there) and uncaught page error."""
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))


def photo_jpeg(page: Any, label: str, color: str) -> bytes:
    """A real JPEG drawn by the browser itself (a canvas), so uploads carry bytes a camera could have made."""
    data_url = page.evaluate("""([label, color]) => {
        const canvas = document.createElement("canvas");
        canvas.width = 480; canvas.height = 640;
        const g = canvas.getContext("2d");
        g.fillStyle = color; g.fillRect(0, 0, 480, 640);
        g.fillStyle = "#fff"; g.font = "bold 48px sans-serif"; g.fillText(label, 40, 320);
        return canvas.toDataURL("image/jpeg", 0.8);
    }""", [label, color])
    return base64.b64decode(data_url.split(",", 1)[1])

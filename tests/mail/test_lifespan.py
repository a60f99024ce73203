"""The sender as the app runs it: started by `create_app`'s lifespan, and by a real `python -m elior` process that
delivers mail left pending by one killed before it. Skipped until the lead wires `MailSender` into elior/app.py
(`app.state.mail`); tests/mail/test_crash.py covers the same with the sender started by a script meanwhile."""
from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.mail import enqueue
from elior.settings import Settings
from tests.helpers import run
from tests.live_server import ROOT, Server, environment, free_port
from tests.mail.conftest import SENDER, opened
from tests.mail.smtp_server import Inbox, StallingInbox, smtp_server

# Building the app opens nothing (the lifespan connects), so a file that never exists will do.
WIRED = hasattr(create_app(Settings(database_url="sqlite:///never-opened.db")).state, "mail")
pytestmark = pytest.mark.skipif(not WIRED, reason="MailSender is not in create_app's lifespan yet (app.state.mail)")


def serve(env: dict[str, str], log: Path) -> Server:
    """`python -m elior serve` on a free port, once it answers /health."""
    port = free_port()
    with log.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "elior", "serve", "--port", str(port)], cwd=ROOT, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.05)
    server.terminate()
    raise AssertionError(f"the server did not start:\n{server.log()[-3000:]}")


def test_the_apps_lifespan_sends_a_mail_queued_by_a_request_path(mail_settings: Callable[..., Settings]) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        with TestClient(create_app(mail_settings(port, mail_poll_seconds=60.0))) as client:
            app: Any = client.app

            async def queue_and_wake() -> None:
                async with app.state.db.transaction():
                    await enqueue(app.state.db, "dana@example.test", "From the app", "text")
                app.state.mail.wake()

            run(client, queue_and_wake)
            [message] = inbox.wait_for(1)
    assert message["Subject"] == "From the app"


@pytest.mark.slow
def test_a_real_server_delivers_the_mail_a_killed_one_left_pending(database_url: str, tmp_path: Path) -> None:
    async def queue_one() -> None:
        async with opened(database_url) as db:
            await enqueue(db, "dana@example.test", "Pending", "text")

    asyncio.run(queue_one())
    # A claim lasts 12 x SMTP_TIMEOUT_SECONDS: 12 s here, after which the second server may send what the first held.
    mail = {"SMTP_HOST": "127.0.0.1", "SMTP_STARTTLS": "false", "MAIL_FROM": SENDER, "SMTP_TIMEOUT_SECONDS": "1",
            "MAIL_RETRY_AFTER": "1s", "MAIL_POLL_SECONDS": "1"}
    stalling, inbox = StallingInbox(), Inbox()
    with smtp_server(stalling) as stalling_port:
        first = serve(environment(database_url, tmp_path, SMTP_PORT=str(stalling_port), **mail), tmp_path / "a.log")
        assert stalling.arrived.wait(30), first.log()
        first.process.kill()
        first.process.wait(10)
    with smtp_server(inbox) as port:
        second = serve(environment(database_url, tmp_path, SMTP_PORT=str(port), **mail), tmp_path / "b.log")
        try:
            [message] = inbox.wait_for(1, bound=60)
        finally:
            second.terminate()
    assert message["Message-ID"] == stalling.stalled[0]["Message-ID"]

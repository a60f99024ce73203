"""The queue survives a server kill: a real process is SIGKILLed in the middle of sending (the SMTP server has the
whole message and has not answered), and the next process delivers the mail. At least once, never lost."""
from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any

from elior.mail import enqueue
from tests.live_server import ROOT, environment, stop_process
from tests.mail.conftest import SENDER, opened
from tests.mail.smtp_server import Inbox, StallingInbox, smtp_server

TEXT, HTML = "Your reset link: https://studio.example/r#1\n", "<p><a href='https://studio.example/r#1'>Reset</a></p>"


def start_sender(database_url: str, data_dir: Path, port: int, log: Path, **extra: str) -> "subprocess.Popen[bytes]":
    env = environment(database_url, data_dir, SMTP_HOST="127.0.0.1", SMTP_PORT=str(port), SMTP_STARTTLS="false",
                      MAIL_FROM=SENDER, LOG_LEVEL="INFO", **extra)
    with log.open("ab") as handle:
        return subprocess.Popen([sys.executable, "-m", "tests.mail.sender_process"], cwd=ROOT, env=env,
                                stdout=handle, stderr=subprocess.STDOUT)


async def queue_one(url: str) -> int:
    async with opened(url) as db:
        async with db.transaction():
            return await enqueue(db, "dana@example.test", "Your reset link", TEXT, HTML)


async def row_of(url: str, mail_id: int) -> dict[str, Any]:
    async with opened(url) as db:
        row = await db.raw.fetch_one("SELECT status, attempts FROM mail_queue WHERE id = :id", {"id": mail_id})
        assert row is not None
        return dict(row._mapping)


def test_mail_pending_when_the_server_is_killed_mid_send_is_delivered_by_the_next(database_url: str,
                                                                                 tmp_path: Path) -> None:
    mail_id = asyncio.run(queue_one(database_url))
    log = tmp_path / "senders.log"
    stalling, inbox = StallingInbox(), Inbox()
    with smtp_server(stalling) as stalling_port:
        first = start_sender(database_url, tmp_path, stalling_port, log)
        try:
            assert stalling.arrived.wait(30), log.read_text(errors="replace")
            first.kill()  # SIGKILL while the SMTP server holds the message unanswered: no chance to record anything
            first.wait(10)
        finally:
            if first.poll() is None:
                first.kill()
    assert asyncio.run(row_of(database_url, mail_id)) == {"status": "queued", "attempts": 1}

    with smtp_server(inbox) as port:
        # The next process starts after the dead one's claim has lapsed (12 x 30 s): its clock is an hour ahead.
        second = start_sender(database_url, tmp_path, port, log, ELIOR_TEST_CLOCK_OFFSET_SECONDS="3600")
        try:
            [message] = inbox.wait_for(1)
        finally:
            stop_process(second)
    assert second.returncode == 0, log.read_text(errors="replace")
    assert asyncio.run(row_of(database_url, mail_id)) == {"status": "sent", "attempts": 2}
    # The same mail as the one the killed process had sent: same id, both parts.
    assert message["Message-ID"] == stalling.stalled[0]["Message-ID"]
    assert message.get_body(("html",)) is not None and message.get_body(("plain",)) is not None

"""The sender against a real SMTP server: outages retried on the schedule (the clock moved, not waited for), refusals
failed at once, a lapsed claim sent again, two senders sharing one queue, STARTTLS and AUTH, the lifespan task."""
from __future__ import annotations

import asyncio
import collections
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from elior.db.database import Database
from elior.mail import enqueue
from elior.mail import sender as sender_module
from elior.mail.queue import counts
from elior.mail.sender import MailSender
from elior.settings import Settings
from tests.live_server import free_port
from tests.mail.conftest import MovableClock, opened
from tests.mail.smtp_server import PASSWORD, USER, Inbox, StallingInbox, make_certificate, smtp_server

TEXT = "Your workout for today is ready.\n"


async def row_of(db: Database, mail_id: int) -> dict[str, Any]:
    row = await db.raw.fetch_one("SELECT status, attempts, last_error, next_attempt_at, claim FROM mail_queue "
                                 "WHERE id = :id", {"id": mail_id})
    assert row is not None
    return dict(row._mapping)


def test_smtp_down_is_retried_later_and_delivered_when_it_is_back(mail_settings: Callable[..., Settings],
                                                                 moving_clock: MovableClock) -> None:
    port = free_port()  # nothing listens there yet: the connection is refused
    settings = mail_settings(port, mail_retry_after=("1m", "5m"))
    inbox = Inbox()

    async def scenario() -> list[Any]:
        async with opened(settings.database_url) as db:
            mail_id = await enqueue(db, "dana@example.test", "Today", TEXT)
            sender = MailSender(settings, db)
            seen = [await sender.run_once(), await row_of(db, mail_id)]
            with smtp_server(inbox, port=port):
                seen.append(await sender.run_once())  # back, but the retry is a minute away
                moving_clock.move(seconds=61)
                seen.append(await sender.run_once())
            seen.append(await row_of(db, mail_id))
            return seen

    down, after_outage, too_soon, retried, done = asyncio.run(scenario())
    assert down == (1, True)
    assert after_outage["status"] == "queued" and after_outage["attempts"] == 1
    assert "ConnectionRefusedError" in after_outage["last_error"]
    assert too_soon == (0, False)
    assert retried == (1, False)
    assert done["status"] == "sent" and done["attempts"] == 2
    assert len(inbox.messages) == 1


def test_an_outage_costs_one_attempt_per_pass_not_one_per_mail(mail_settings: Callable[..., Settings]) -> None:
    settings = mail_settings(free_port())

    async def scenario() -> tuple[tuple[int, bool], list[int]]:
        async with opened(settings.database_url) as db:
            for number in range(5):
                await enqueue(db, "dana@example.test", f"Mail {number}", TEXT)
            result = await MailSender(settings, db).run_once()
            attempts = await db.raw.fetch_all("SELECT attempts FROM mail_queue ORDER BY id")
            return result, [row[0] for row in attempts]

    result, attempts = asyncio.run(scenario())
    assert result == (1, True)
    assert attempts == [1, 0, 0, 0, 0]


def test_mail_is_marked_failed_after_the_last_retry(mail_settings: Callable[..., Settings],
                                                   moving_clock: MovableClock) -> None:
    settings = mail_settings(free_port(), mail_retry_after=("1m",))

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], tuple[int, bool]]:
        async with opened(settings.database_url) as db:
            mail_id = await enqueue(db, "dana@example.test", "Today", TEXT)
            sender = MailSender(settings, db)
            await sender.run_once()
            moving_clock.move(minutes=2)
            await sender.run_once()
            moving_clock.move(hours=5)
            return await row_of(db, mail_id), await counts(db), await sender.run_once()

    row, figures, later = asyncio.run(scenario())
    assert row["status"] == "failed" and row["attempts"] == 2 and row["claim"] is None
    assert figures["failed"] == 1 and figures["queued"] == 0
    assert later == (0, False)  # given up: never tried again


def test_a_recipient_refused_for_good_fails_at_once_and_the_next_mail_goes(
        mail_settings: Callable[..., Settings]) -> None:
    inbox = Inbox(refuse=frozenset({"gone@example.test"}))
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> tuple[tuple[int, bool], dict[str, Any]]:
            async with opened(settings.database_url) as db:
                gone = await enqueue(db, "gone@example.test", "Hello", TEXT)
                await enqueue(db, "dana@example.test", "Hello", TEXT)
                return await MailSender(settings, db).run_once(), await row_of(db, gone)

        result, refused = asyncio.run(scenario())
    assert result == (2, False)
    assert refused["status"] == "failed" and refused["attempts"] == 1
    assert refused["last_error"].startswith("SMTPRecipientsRefused: 550")
    assert [m["To"] for m in inbox.messages] == ["dana@example.test"]


def test_a_mail_whose_sender_died_mid_send_is_sent_again_when_the_claim_lapses(
        mail_settings: Callable[..., Settings], moving_clock: MovableClock) -> None:
    """A claim that was never recorded (its process died): no one takes the mail until the claim lapses, then it is
    sent with the same Message-ID, so a mailbox can tell the copy."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> list[Any]:
            async with opened(settings.database_url) as db:
                mail_id = await enqueue(db, "dana@example.test", "Today", TEXT)
                sender = MailSender(settings, db)
                now = moving_clock.at
                token = await db.raw.fetch_val("SELECT message_token FROM mail_queue WHERE id = :id", {"id": mail_id})
                # What a sender that died did: it claimed the row, and nothing after that.
                lapses = now + sender.config.claim_lasts
                await db.fetch_one("mail.queue.claim", claim="dead", now=now, lease_until=lapses)
                seen = [token, await sender.run_once()]
                moving_clock.move(seconds=sender.config.claim_lasts.total_seconds() + 1)
                seen += [await sender.run_once(), await row_of(db, mail_id)]
                return seen

        token, while_claimed, after, row = asyncio.run(scenario())
    assert while_claimed == (0, False)
    assert after == (1, False)
    assert row["status"] == "sent" and row["attempts"] == 2
    [message] = inbox.messages
    assert message["Message-ID"] == f"<{token}@example.test>"


def test_two_senders_on_one_queue_send_each_mail_once(mail_settings: Callable[..., Settings]) -> None:
    """Two processes' senders (two databases' pools) at once: every mail arrives exactly once."""
    inbox = Inbox()
    total = 40
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> tuple[int, int]:
            async with opened(settings.database_url) as db_a, opened(settings.database_url) as db_b:
                for number in range(total):
                    await enqueue(db_a, f"client{number}@example.test", f"Mail {number}", TEXT)
                first, second = MailSender(settings, db_a), MailSender(settings, db_b)
                for _ in range(total):
                    done = await asyncio.gather(first.run_once(), second.run_once())
                    if all(attempts == 0 for attempts, _ in done):
                        break
                return first.figures.sent, second.figures.sent

        sent_by_first, sent_by_second = asyncio.run(scenario())
    ids = collections.Counter(message["Message-ID"] for message in inbox.messages)
    assert len(ids) == total and set(ids.values()) == {1}
    assert sent_by_first + sent_by_second == total
    assert sent_by_first > 0 and sent_by_second > 0  # they did share the work, so the claims really raced


def test_starttls_and_auth_with_a_checked_certificate(mail_settings: Callable[..., Settings], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    certificate = make_certificate(tmp_path)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # the client trusts the test's certificate alone
    inbox = Inbox()
    with smtp_server(inbox, tls=certificate) as port:
        settings = mail_settings(port, smtp_starttls=True, smtp_user=USER, smtp_password=PASSWORD)

        async def scenario() -> tuple[int, bool]:
            async with opened(settings.database_url) as db:
                await enqueue(db, "dana@example.test", "Over TLS", TEXT)
                return await MailSender(settings, db).run_once()

        assert asyncio.run(scenario()) == (1, False)
    assert [m["Subject"] for m in inbox.messages] == ["Over TLS"]
    assert inbox.logins == [(USER.encode(), PASSWORD.encode())]


@pytest.mark.parametrize("server", ["without STARTTLS", "with an untrusted certificate"])
def test_starttls_on_never_sends_in_clear_or_to_an_unchecked_server(
        mail_settings: Callable[..., Settings], tmp_path: Path, server: str) -> None:
    """The mail stays queued for a retry (the server's fault, not the mail's), and nothing is delivered."""
    inbox = Inbox()
    tls = make_certificate(tmp_path) if server != "without STARTTLS" else None  # and SSL_CERT_FILE does not list it
    with smtp_server(inbox, tls=tls) as port:
        settings = mail_settings(port, smtp_starttls=True)

        async def scenario() -> tuple[tuple[int, bool], dict[str, Any]]:
            async with opened(settings.database_url) as db:
                mail_id = await enqueue(db, "dana@example.test", "Secret link", TEXT)
                return await MailSender(settings, db).run_once(), await row_of(db, mail_id)

        result, row = asyncio.run(scenario())
    assert result == (1, True)
    assert row["status"] == "queued" and row["attempts"] == 1
    assert ("STARTTLS" in row["last_error"]) if tls is None else ("CERTIFICATE_VERIFY_FAILED" in row["last_error"])
    assert inbox.messages == []


def test_the_lifespan_task_sends_what_is_queued_once_woken(mail_settings: Callable[..., Settings]) -> None:
    """Started, the sender sleeps (here up to a minute) until `wake()`: a mail queued then goes at once."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port, mail_poll_seconds=60.0)

        async def scenario() -> int:
            async with opened(settings.database_url) as db:
                sender = MailSender(settings, db)
                await sender.start()
                try:
                    await asyncio.sleep(0.2)  # its first pass has found nothing and it sleeps
                    async with db.transaction():
                        await enqueue(db, "dana@example.test", "Woken", TEXT)
                    sender.wake()
                    deadline = time.monotonic() + 20
                    while not inbox.messages and time.monotonic() < deadline:
                        await asyncio.sleep(0.02)
                finally:
                    await sender.stop()
                return sender.figures.sent

        assert asyncio.run(scenario()) == 1
    assert [m["Subject"] for m in inbox.messages] == ["Woken"]


def test_stop_during_a_send_that_hangs_returns_and_leaves_the_mail_queued(
        mail_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch) -> None:
    """A shutdown is not held hostage by a stalled SMTP server (here one step may take two minutes): after the
    grace the task is cancelled and the connection cut, and the mail stays claimed, to be sent once that lapses."""
    monkeypatch.setattr(sender_module, "STOP_GRACE_SECONDS", 0.2)
    stalling = StallingInbox()
    seen: list[dict[str, Any]] = []
    with smtp_server(stalling) as port:
        settings = mail_settings(port, smtp_timeout=120.0)

        async def scenario() -> None:
            async with opened(settings.database_url) as db:
                mail_id = await enqueue(db, "dana@example.test", "Stalled", TEXT)
                sender = MailSender(settings, db)
                await sender.start()
                while not stalling.arrived.is_set():
                    await asyncio.sleep(0.02)
                await sender.stop()
                seen.append(await row_of(db, mail_id))

        # On a thread of its own, so that a stop stuck for the SMTP timeout fails the test instead of stalling it.
        worker = threading.Thread(target=asyncio.run, args=(scenario(),), daemon=True)
        worker.start()
        worker.join(60)
        assert not worker.is_alive(), "stop() waited for the stalled server"
    [row] = seen
    assert row["status"] == "queued" and row["attempts"] == 1 and row["claim"] is not None

"""The queue: a mail commits or rolls back with the caller's transaction, and the sender delivers what committed,
plain text and HTML, to a real SMTP server. With mail off nothing is sent."""
from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

from elior.mail import enqueue, mail_enabled
from elior.mail.config import disabled_reason
from elior.mail.queue import counts, forget
from elior.mail.sender import MailSender
from elior.settings import Settings
from tests.mail.conftest import SENDER, opened
from tests.mail.smtp_server import Inbox, smtp_server

TEXT = "Hello Dana,\n\nyour reset link: https://studio.example/reset#abc\n"
HTML = "<p>Hello Dana,</p><p><a href='https://studio.example/reset#abc'>Reset your password</a></p>"


def test_mail_enqueued_in_a_committed_transaction_is_delivered_with_both_parts(
        mail_settings: Callable[..., Settings]) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port, domain="studio.example")

        async def scenario() -> dict[str, Any]:
            async with opened(settings.database_url) as db:
                async with db.transaction():
                    mail_id = await enqueue(db, "dana@example.test", "Your reset link", TEXT, HTML)
                sender = MailSender(settings, db)
                assert await sender.run_once() == (1, False)
                row = await db.raw.fetch_one("SELECT status, attempts, text_body, html_body, finished_at "
                                             "FROM mail_queue WHERE id = :id", {"id": mail_id})
                return dict(row._mapping) if row is not None else {}

        row = asyncio.run(scenario())
    [message] = inbox.messages
    assert message["To"] == "dana@example.test"
    assert message["From"] == SENDER
    assert message["Subject"] == "Your reset link"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.test>")
    assert inbox.greetings == ["studio.example"]  # EHLO names DOMAIN (no reverse-DNS lookup of our own name)
    assert message.get_content_type() == "multipart/alternative"
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and plain.get_content().replace("\r\n", "\n") == TEXT
    assert html is not None and "Reset your password" in html.get_content()
    # Done: the envelope stays for the admin's view, the bodies (and the link in them) do not.
    assert row["status"] == "sent" and row["attempts"] == 1 and row["finished_at"] is not None
    assert row["text_body"] == "" and row["html_body"] is None


def test_mail_without_html_is_plain_text_alone(mail_settings: Callable[..., Settings]) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> None:
            async with opened(settings.database_url) as db:
                await enqueue(db, "dana@example.test", "Plain", "Only text.\n")
                await MailSender(settings, db).run_once()

        asyncio.run(scenario())
    [message] = inbox.messages
    assert message.get_content_type() == "text/plain"
    assert message.get_content().strip() == "Only text."


def test_mail_enqueued_in_a_rolled_back_transaction_is_never_sent(mail_settings: Callable[..., Settings]) -> None:
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> tuple[tuple[int, bool], dict[str, Any]]:
            async with opened(settings.database_url) as db:
                with pytest.raises(RuntimeError):
                    async with db.transaction():
                        await enqueue(db, "dana@example.test", "Your reset link", TEXT, HTML)
                        raise RuntimeError("the write that promised the mail failed")
                return await MailSender(settings, db).run_once(), await counts(db)

        attempts, figures = asyncio.run(scenario())
    assert attempts == (0, False)
    assert figures["queued"] == 0 and figures["sent"] == 0
    assert inbox.messages == []


@pytest.mark.parametrize(("to", "subject"), [
    ("dana@example.test\r\nBcc: everyone@example.test", "Hi"),
    ("Dana <dana@example.test>", "Hi"),
    ("dana@example.test, eve@example.test", "Hi"),
    ("not an address", "Hi"),
    ("dana@example.test", "Hi\r\nBcc: everyone@example.test"),
    ("dana@example.test", "   "),
])
def test_enqueue_refuses_what_cannot_be_one_safe_mail(mail_settings: Callable[..., Settings], to: str,
                                                      subject: str) -> None:
    settings = mail_settings(25)

    async def scenario() -> int:
        async with opened(settings.database_url) as db:
            with pytest.raises(ValueError):
                await enqueue(db, to, subject, TEXT)
            return int((await counts(db))["queued"])

    assert asyncio.run(scenario()) == 0


def test_mail_is_off_without_smtp_host_or_mail_from(mail_settings: Callable[..., Settings]) -> None:
    assert not mail_enabled(Settings()) and disabled_reason(Settings()) == "SMTP_HOST is not set"
    no_sender = mail_settings(25, mail_from=None)
    assert not mail_enabled(no_sender) and disabled_reason(no_sender) == "MAIL_FROM is not set"
    assert mail_enabled(mail_settings(25))


def test_a_sender_with_mail_off_sends_nothing(mail_settings: Callable[..., Settings]) -> None:
    """Mail queued while SMTP was set stays queued, untouched, once the settings are gone: no task runs."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        settings = mail_settings(port)

        async def scenario() -> dict[str, Any]:
            async with opened(settings.database_url) as db:
                await enqueue(db, "dana@example.test", "Queued while mail was on", TEXT)
                sender = MailSender(settings.with_overrides(smtp_host=None), db)
                await sender.start()
                running = sender._task is not None
                await sender.stop()
                return {"running": running, **await counts(db)}

        figures = asyncio.run(scenario())
    assert figures["running"] is False
    assert figures["queued"] == 1 and inbox.messages == []


def test_forget_deletes_every_mail_to_an_address(mail_settings: Callable[..., Settings]) -> None:
    settings = mail_settings(25)

    async def scenario() -> tuple[int, int]:
        async with opened(settings.database_url) as db:
            await enqueue(db, "dana@example.test", "One", TEXT)
            await enqueue(db, "Dana@Example.test", "Two", TEXT)
            await enqueue(db, "eve@example.test", "Three", TEXT)
            return await forget(db, "DANA@example.test"), int((await counts(db))["queued"])

    assert asyncio.run(scenario()) == (2, 1)

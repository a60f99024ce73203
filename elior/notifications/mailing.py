"""The mails of notifications: one sent `immediately` (queued in the notification's own transaction) and the daily
digest's (elior/notifications/digest.py). The preferences that decide them: elior/notifications/preferences.py."""
from __future__ import annotations

import asyncio
import html
from typing import TYPE_CHECKING, Any

from elior.mail import enqueue, mail_enabled

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.settings import Settings


def notification_mail(name: str, lines: list[str], subject: str) -> tuple[str, str, str]:
    """(subject, text, html) of a mail listing notification sentences."""
    text = f"Hello {name},\n\n" + "\n".join(f"- {line}" for line in lines) + \
        "\n\nOpen Elior to see more. You can change which notifications you get by mail under Security.\n"
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
    markup = (f"<p>Hello {html.escape(name)},</p><ul>{items}</ul><p>Open Elior to see more. You can change which "
              "notifications you get by mail under Security.</p>")
    return subject, text, markup


async def mail_now(db: "Database", settings: "Settings", user_id: int, kind: str, message: str) -> bool:
    """Inside the notification's transaction: queue its mail when the user chose `immediately` (and mail is on).
    Whether a mail was queued."""
    if not mail_enabled(settings):
        return False
    row = await db.fetch_one("notifications.preferences.for_mail", user_id=user_id, kind=kind)
    if row is None or row["delivery"] != "immediately":
        return False
    await enqueue(db, row["email"], *notification_mail(row["full_name"], [message], message[:200]))
    return True


def wake_sender(mail: Any, staged: bool) -> None:
    """Ask the mail sender to look at the queue. Inside a transaction the mail is not visible yet: SQLite's sender
    waits for it on the single writer; on PostgreSQL a second look a moment later finds it committed (the sender's
    poll would find it anyway)."""
    if mail is None:
        return
    mail.wake()
    if staged:
        asyncio.get_running_loop().call_later(1.0, mail.wake)

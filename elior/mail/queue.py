"""The mail queue: a mail is a row written in the caller's transaction, and the sender (elior.mail.sender) sends it.

    if mail_enabled(call.settings):                      # off: queue nothing, and tell the user so
        async with call.db.transaction():
            ...                                          # the write that promises the mail
            await enqueue(call.db, user["email"], "Your reset link", text, html)
        call.request.app.state.mail.wake()               # after the commit: send now rather than at the next poll

Because the row commits or rolls back with the write beside it, a request never promises a mail it then loses, nor
sends one for a write that did not happen; and it never waits for SMTP. Nothing is validated later that could be
checked here: an address or subject that cannot make a mail raises ValueError in the caller's transaction.
"""
from __future__ import annotations

import datetime as dt
import secrets
from email.utils import parseaddr
from typing import Any

from elior import clock
from elior.db.database import Database
from elior.web.fields import EMAIL

MAX_SUBJECT = 500
MAX_TEXT = 100_000
MAX_HTML = 500_000
KEEP_DONE = dt.timedelta(days=30)  # sent and failed rows are kept this long for the admin's view, then deleted
_CONTROL = frozenset("\r\n\0")


def check_recipient(to: str) -> str:
    """One bare address, the shape accounts accept (elior.web.fields.EMAIL); anything else raises ValueError."""
    if not isinstance(to, str) or _CONTROL & set(to) or not 3 <= len(to) <= 254:
        raise ValueError("a mail needs one e-mail address of 3 to 254 characters")
    if parseaddr(to)[1] != to or not EMAIL.match(to):
        raise ValueError(f"{to!r} is not one bare e-mail address")
    return to


def check_subject(subject: str) -> str:
    # A line break in a header would let the text start headers of its own (header injection).
    if not isinstance(subject, str) or _CONTROL & set(subject) or not 1 <= len(subject.strip()) <= MAX_SUBJECT:
        raise ValueError(f"a subject is one line of 1 to {MAX_SUBJECT} characters")
    return subject.strip()


async def enqueue(db: Database, to: str, subject: str, text: str, html: str | None = None) -> int:
    """Queue a mail in the caller's transaction (open one around the write it belongs to); its id. The caller checks
    `mail_enabled(settings)` first: with mail off nothing may be queued, so nothing is sent later by surprise."""
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_TEXT:
        raise ValueError(f"a mail needs a plain-text body of at most {MAX_TEXT} characters")
    if html is not None and (not isinstance(html, str) or len(html) > MAX_HTML):
        raise ValueError(f"an HTML body is at most {MAX_HTML} characters")
    # The token becomes the Message-ID: a mail sent twice (a sender died between sending and recording) carries the
    # same one both times, which lets a mailbox drop the copy.
    mail_id = await db.fetch_val("mail.queue.insert", recipient=check_recipient(to), subject=check_subject(subject),
                               text_body=text, html_body=html, message_token=secrets.token_hex(16), now=clock.now())
    return int(mail_id)


async def forget(db: Database, recipient: str) -> int:
    """Delete every mail to `recipient`, sent or not (an erased account): how many rows went."""
    return len(await db.fetch_all("mail.queue.forget", recipient=recipient))


async def prune(db: Database) -> int:
    """Delete done mail older than KEEP_DONE; the sender calls it now and then."""
    return len(await db.fetch_all("mail.queue.prune", before=clock.now() - KEEP_DONE))


async def counts(db: Database) -> dict[str, Any]:
    """queued, sent and failed counts, the oldest queued mail's time and the last sent one's (ISO or None)."""
    row = await db.fetch_one("mail.queue.counts")
    assert row is not None  # an aggregate always answers a row
    return {"queued": int(row["queued"]), "sent": int(row["sent"]), "failed": int(row["failed"]),
            "oldest_queued_at": _iso(row["oldest_queued_at"]), "last_sent_at": _iso(row["last_sent_at"])}


async def last_error(db: Database) -> dict[str, Any]:
    row = await db.fetch_one("mail.queue.last_error")
    return {"last_error": row["last_error"] if row else None,
            "last_error_at": _iso(row["last_error_at"]) if row else None}


async def next_due(db: Database) -> dt.datetime | None:
    """When the earliest queued mail falls due (a claimed one: when its claim ends), or None."""
    return parse_time(await db.fetch_val("mail.queue.next_due"))


def parse_time(value: Any) -> dt.datetime | None:
    """A stored time (ISO text on both dialects, as elior.db gives them back) as an aware datetime."""
    if value is None:
        return None
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.UTC)


def _iso(value: Any) -> str | None:
    parsed = parse_time(value)
    return None if parsed is None else clock.iso(parsed)

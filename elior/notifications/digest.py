"""The daily digest: one mail a day to each user who chose `daily` for some notification kind, listing those
notifications since their last digest. Run every INTERVAL seconds by the app's periodic tasks (elior/app.py).

A user's bookmark (`notification_digests.last_digest_at`) is claimed by moving it to now with a conditional UPDATE
(sql/notifications/digests/claim.sql) in the transaction that queues the mail: with several server processes one of
them claims each digest, and a fault rolls claim and mail back together, so a digest is neither lost nor sent twice.
A day with nothing to tell sends nothing (the bookmark still moves on). With mail off the job does nothing: the
bookmarks wait, and the first digest once mail is on covers what happened meanwhile (at most 200 items).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import orjson

from elior import clock
from elior.mail import enqueue, mail_enabled
from elior.notifications.mailing import notification_mail

INTERVAL = 600.0
PERIOD = dt.timedelta(days=1)
BATCH = 500  # users per round: one round after a long outage mails in steps of this many


async def sweep(state: Any) -> int:
    """Queue every digest that is due; how many mails were queued."""
    if not mail_enabled(state.settings):
        return 0
    db = state.db
    queued = 0
    for _ in range(BATCH):
        now = clock.now()
        async with db.transaction():
            claimed = await db.fetch_one("notifications.digests.claim", now=now, due_before=now - PERIOD)
            if claimed is None:
                break
            queued += await _queue_digest(db, int(claimed["user_id"]), claimed["previous_digest_at"], now)
    if queued:
        state.mail.wake()  # after the commits: send now rather than at the sender's next poll
    return queued


async def _queue_digest(db: Any, user_id: int, since: Any, until: dt.datetime) -> int:
    items = await db.fetch_all("notifications.digests.items", user_id=user_id, since=_time(since), until=until)
    who = await db.fetch_one("notifications.digests.recipient", user_id=user_id)
    if not items or who is None:
        return 0
    lines = [f"{_when(row['created_at'])}: {orjson.loads(row['data']).get('message') or row['type']}"
             for row in items]
    subject = f"Your Elior digest: {len(lines)} notification{'s' if len(lines) != 1 else ''}"
    await enqueue(db, who["email"], *notification_mail(who["full_name"], lines, subject))
    return 1


def _time(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=clock.UTC)
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.UTC)


def _when(value: Any) -> str:
    return clock.iso(_time(value)).replace("T", " ")[:16] + " UTC"

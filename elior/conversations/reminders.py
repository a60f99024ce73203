"""Due check-ins announce themselves: a sweep, run every INTERVAL seconds by the app's periodic tasks (elior/app.py),
records `check_in.due` for each schedule whose period has begun (the rule in elior/notifications tells the client).

Each schedule's `next_due` is the first period start not yet announced. A sweep claims a schedule by moving it on
with a conditional UPDATE (sql/conversations/schedules/claim.sql), so with several processes each period is
announced once, by whichever process claims it. The claim and the event (its notification, its push in the
notification outbox, elior/live/outbox.py) commit in one transaction: a fault after the claim loses no reminder,
and a claim that rolls back announces nothing. A server that was down over several periods announces only the
period under way: a reminder of a check-in whose time has passed helps nobody.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from elior import clock
from elior.conversations.checkin_schedules import cadence_of
from elior.live.events import Event, record_event

INTERVAL = 300.0
BATCH = 200


async def sweep(state: Any, today: dt.date | None = None) -> int:
    """Announce every period that has begun and not been announced; the number announced."""
    db = state.db
    today = today or clock.today()
    announced = 0
    while True:
        rows = await db.fetch_all("conversations.schedules.due", today=today, limit=BATCH)
        for row in rows:
            cadence = cadence_of(row)
            period = cadence.current(today) or cadence.first
            async with db.transaction():  # one schedule at a time: a short write, its event committed with it
                claimed = await db.fetch_val("conversations.schedules.claim", client_id=row["client_id"],
                                             was=dt.date.fromisoformat(str(row["next_due"])[:10]),
                                             next_due=period + cadence.length, due_period=period)
                if claimed is None:
                    continue  # another process took it
                await record_event(state, Event("check_in.due", {
                    "client_id": row["client_id"], "template_id": row["template_id"], "title": row["title"],
                    "period_start": period.isoformat()}, row["client_id"], None))
            announced += 1
        if len(rows) < BATCH:
            return announced

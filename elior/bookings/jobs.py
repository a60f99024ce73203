"""The bookings' periodic work: reminders REMINDER_HOURS before each booked session, and expired packages written
off. `sweep(state)` runs at start and every INTERVAL seconds (the lifespan's TaskRunner, elior.ops.tasks).

A reminder is claimed by setting `reminded_at` with a conditional UPDATE (sql/bookings/jobs/claim_reminders*.sql:
`... AND reminded_at IS NULL`, and on PostgreSQL `FOR UPDATE SKIP LOCKED`), so with several server processes each
session is reminded once, by whichever process claims it. The claim and the reminder's mail (elior.mail, when mail
is on) commit together: a process that dies before the commit leaves the reminder unclaimed for the next sweep;
the event `appointment.reminder` (its notification, elior.live.events.record_event) commits with them too, so a
reminder is sent once and never lost. A session rescheduled is due again.

An expired package's remaining credits leave the balance as one `expire` movement, under the client's lock, so two
processes sweeping at once write it once (the second finds nothing left).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from elior import clock
from elior.bookings import ledger, schedule, slots
from elior.live.events import Event, record_event
from elior.mail import enqueue, mail_enabled

log = logging.getLogger("elior.bookings")

INTERVAL = 60.0
REMINDER = "appointment.reminder"
BATCH = 100


def describe(row: dict[str, Any], tz: dt.tzinfo, zone_name: str) -> str:
    when = schedule.spoken(schedule.parse_time(row["starts_at"]), tz)
    return f"{row['type_name']} with {row['trainer_name']} on {when} ({zone_name})"


def reminder_data(row: dict[str, Any], tz: dt.tzinfo) -> dict[str, Any]:
    return {"id": row["id"], "type_name": row["type_name"], "trainer_name": row["trainer_name"],
            "starts_at": clock.iso(schedule.parse_time(row["starts_at"])),
            "ends_at": clock.iso(schedule.parse_time(row["ends_at"])),
            "when": schedule.spoken(schedule.parse_time(row["starts_at"]), tz)}


async def send_reminders(state: Any, now: dt.datetime | None = None) -> list[int]:
    """Claim and send every reminder due; the appointment ids this process reminded."""
    settings, db = state.settings, state.db
    if settings.reminder_hours <= 0:
        return []
    now = now or clock.now()
    until = now + dt.timedelta(hours=settings.reminder_hours)
    tz, mail_on = schedule.studio_zone(settings), mail_enabled(settings)
    reminded: list[int] = []
    while True:
        async with db.transaction():
            claimed = await db.fetch_all("bookings.jobs.claim_reminders", now=now, until=until, limit=BATCH)
            for item in claimed:
                row = await db.fetch_one("bookings.jobs.reminder", id=item["id"])
                assert row is not None  # claimed in this very transaction
                sentence = describe(row, tz, settings.studio_timezone)
                if mail_on and row["client_active"]:
                    await enqueue(db, row["client_email"], f"Reminder: {row['type_name']}",
                                  f"Hello {row['client_name']},\n\nthis is a reminder of your session: {sentence}."
                                  "\n\nTo cancel or move it, open the app. See you there!\n")
                await record_event(state, Event(REMINDER, reminder_data(row, tz), int(row["client_id"]), None))
                reminded.append(int(row["id"]))
        if claimed and mail_on and getattr(state, "mail", None) is not None:
            state.mail.wake()  # after the commit: send now rather than at the sender's next poll
        if len(claimed) < BATCH:
            return reminded


async def expire_packages(state: Any, today: dt.date | None = None) -> int:
    """Write off what is left of every package past its date; the credits written off."""
    db = state.db
    today = today or slots.local_day(clock.now(), schedule.studio_zone(state.settings))
    written_off = 0
    while True:
        rows = await db.fetch_all("bookings.jobs.expired_packages", today=today, limit=BATCH)
        for row in rows:
            async with db.transaction():
                await db.fetch_all("bookings.appointments.lock", trainer_id=row["client_id"],
                                   client_id=row["client_id"])
                written_off += await ledger.expire(db, package_id=row["id"], client_id=row["client_id"],
                                                   type_id=row["type_id"])
        if len(rows) < BATCH:
            return written_off


async def sweep(state: Any) -> None:
    """The periodic job: reminders first (they are time-bound), then expiries."""
    reminded = await send_reminders(state)
    expired = await expire_packages(state)
    if reminded or expired:
        log.info("bookings swept", extra={"reminded": len(reminded), "credits_expired": expired})

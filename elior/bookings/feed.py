"""Appointments for the iCal feed (elior.programs.ical adds them to the user's calendar file).

    events = await appointment_events(db, owner, domain=settings.domain)   # owner: the feed's users row

What the feed's user may see now, by the one rule: a client their own sessions, a trainer their clients', an admin
the studio's, from DAYS_BACK days ago to DAYS_AHEAD days ahead. Each appointment keeps its UID; its SEQUENCE counts
the changes that move or cancel it, so a subscribed phone updates the event in place. Cancelled places stay in the
feed with STATUS:CANCELLED (a calendar only removes what it is told is cancelled).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar

from elior import clock
from elior.bookings.schedule import parse_time
from elior.db.database import Database

DAYS_BACK, DAYS_AHEAD = 28, 91
MAX_EVENTS = 10_000


def _event(row: dict[str, Any], domain: str, for_staff: bool) -> icalendar.Event:
    event = icalendar.Event()
    title = row["type_name"]
    title = f"{row['client_name']}: {title}" if for_staff else f"{title} with {row['trainer_name'] or 'your trainer'}"
    status = row["status"]
    if status == "cancelled":
        title = f"Cancelled: {title}"
    event.add("uid", f"appointment-{row['id']}@{domain}")
    event.add("summary", title)
    event.add("dtstart", parse_time(row["starts_at"]))
    event.add("dtend", parse_time(row["ends_at"]))
    changed = parse_time(row["updated_at"])
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("sequence", int(row["sequence"]))
    event.add("status", "CANCELLED" if status == "cancelled" else "CONFIRMED")
    lines = [{"booked": "Booked", "cancelled": "Cancelled" + (" (late)" if row["late_cancel"] else ""),
              "attended": "Attended", "no_show": "No-show"}[status]]
    if row["notes"]:
        lines.append(row["notes"])
    event.add("description", "\n".join(lines))
    return event


async def appointment_events(db: Database, user: dict[str, Any], *, domain: str = "localhost",
                             today: dt.date | None = None) -> list[icalendar.Event]:
    """The calendar events of the appointments `user` (a users row: id, role) may see around today."""
    today = today or clock.today()
    starts_from = dt.datetime.combine(today - dt.timedelta(days=DAYS_BACK), dt.time(), tzinfo=clock.UTC)
    starts_to = dt.datetime.combine(today + dt.timedelta(days=DAYS_AHEAD + 1), dt.time(), tzinfo=clock.UTC)
    rows = await db.fetch_all("bookings.feed.appointments", caller_id=user["id"], caller_role=user["role"],
                              starts_from=starts_from, starts_to=starts_to, limit=MAX_EVENTS)
    return [_event(row, domain, for_staff=user["role"] != "client") for row in rows]

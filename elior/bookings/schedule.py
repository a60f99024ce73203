"""A trainer's calendar read from the database into the plain values elior.bookings.slots computes with.

Shared by the slot search and by every write that takes a trainer's time (book, reschedule), so that what is
offered and what may be booked come from the same reads and the same rule.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from elior.bookings import slots
from elior.db.database import Database
from elior.settings import Settings

# A session of the longest type (720 minutes) with the longest buffer (240) that starts the day before still
# reaches into the range: sessions are read from this much earlier.
LOOK_BACK = dt.timedelta(days=1)


def studio_zone(settings: Settings) -> dt.tzinfo:
    return slots.zone(settings.studio_timezone)


def parse_time(value: Any) -> dt.datetime:
    """A stored time (ISO text on both dialects, as elior.db returns it) as an aware UTC datetime."""
    parsed = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=slots.UTC)


def parse_day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def spoken(instant: dt.datetime, tz: dt.tzinfo) -> str:
    """`Tue 24 Mar 2026, 10:00`: a start as the studio's wall clock shows it, for sentences people read."""
    return f"{instant.astimezone(tz):%a %d %b %Y, %H:%M}"


def kind_of(row: dict[str, Any]) -> slots.Kind:
    """A session_types row as the slot rule takes it."""
    return slots.Kind(int(row["id"]), dt.timedelta(minutes=int(row["duration_minutes"])), int(row["capacity"]),
                      dt.timedelta(minutes=int(row["buffer_minutes"])))


def local_range(first: dt.date, last: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """The UTC instants from the start of local day `first` to the end of local day `last`."""
    return slots.at(first, 0, tz), slots.at(last, slots.DAY_MINUTES, tz)


async def weekly_hours(db: Database, trainer_id: int) -> dict[int, list[slots.Minutes]]:
    weekly: dict[int, list[slots.Minutes]] = {}
    for row in await db.fetch_all("bookings.availability.hours", trainer_id=trainer_id):
        weekly.setdefault(int(row["weekday"]), []).append((int(row["start_minute"]), int(row["end_minute"])))
    return weekly


async def exceptions_between(db: Database, trainer_id: int, first: dt.date,
                             last: dt.date) -> list[dict[str, Any]]:
    return await db.fetch_all("bookings.availability.exceptions", trainer_id=trainer_id, date_from=first,
                              date_to=last)


async def trainer_windows(db: Database, trainer_id: int, first: dt.date, last: dt.date,
                          tz: dt.tzinfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """The trainer's hours on the local days `first` to `last`: two statements, whatever the range."""
    weekly = await weekly_hours(db, trainer_id)
    by_day: dict[dt.date, list[slots.DayException]] = {}
    for row in await exceptions_between(db, trainer_id, first, last):
        by_day.setdefault(parse_day(row["day"]), []).append(
            slots.DayException(row["kind"], row["start_minute"], row["end_minute"]))
    return slots.windows(first, last, weekly, by_day, tz)


async def sessions_between(db: Database, trainer_id: int, starts_from: dt.datetime, starts_to: dt.datetime,
                           exclude_id: int = 0) -> list[slots.Session]:
    """The trainer's booked sessions that can meet [starts_from, starts_to), without appointment `exclude_id`."""
    rows = await db.fetch_all("bookings.appointments.busy", trainer_id=trainer_id, exclude_id=exclude_id,
                              starts_from=starts_from - LOOK_BACK, starts_to=starts_to)
    return [slots.Session(parse_time(r["starts_at"]), parse_time(r["ends_at"]), int(r["type_id"]),
                          dt.timedelta(minutes=int(r["buffer_minutes"])), int(r["booked"])) for r in rows]


async def place_at(db: Database, settings: Settings, trainer_id: int, kind: slots.Kind, start: dt.datetime,
                   exclude_id: int = 0) -> slots.Slot | None:
    """The place a booking at `start` would take, or None when the trainer has no such free time: the same rule
    that GET /api/slots offers from. Run inside the booking's transaction, after the lock."""
    tz = studio_zone(settings)
    day = slots.local_day(start, tz)
    spans = await trainer_windows(db, trainer_id, day, day, tz)
    sessions = await sessions_between(db, trainer_id, start, start + kind.duration + kind.buffer, exclude_id)
    return slots.slot_at(start, spans, sessions, kind)

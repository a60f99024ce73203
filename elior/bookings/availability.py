"""A trainer's availability: weekly hours per weekday, and exceptions (days off, hours off, extra hours).

Times are wall-clock `HH:MM` in the studio's time zone (STUDIO_TIMEZONE, named in every answer), because a trainer's
Monday 09:00 stays 09:00 on the wall when the clocks change; the slots computed from them are UTC instants
(elior.bookings.slots). The trainer and admins change them; the trainer's clients read them too (they book with
that trainer); anyone else gets 404, as for a trainer that does not exist.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.bookings import schedule, slots
from elior.web.errors import ValidationError, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import Array, Date, DateTime, Int, Schema, Str

MAX_DAYS = 366
KINDS = ("off", "extra")
TIME = {"pattern": slots.HHMM, "max_length": 5}

HOURS = Schema("WeeklyHours", {
    "weekday": Int(required=True, minimum=0, maximum=6, description="0 = Monday ... 6 = Sunday"),
    "start": Str(required=True, **TIME, example="09:00", description="local time in the studio's zone"),
    "end": Str(required=True, **TIME, example="12:00", description="local time; 24:00 is the end of the day"),
})
WEEK = Schema("WeeklyAvailability", {
    "weekly": Array(required=True, items=HOURS, max_items=7 * 24, description="replaces the whole week"),
})
EXCEPTION = Schema("AvailabilityExceptionCreate", {
    "date": Date(required=True, description="the local day"),
    "kind": Str(required=True, enum=KINDS, description="off: not available; extra: available besides the week"),
    "start": Str(**TIME, example="13:00", description="with `end`: only these hours; leave both out for the "
                 "whole day off"),
    "end": Str(**TIME, example="15:00"),
    "note": Str(max_length=500, nullable=True),
})
EXCEPTION_OUT = Schema("AvailabilityException", {
    "id": Int(), "trainer_id": Int(), "date": Date(), "kind": Str(enum=KINDS), "start": Str(nullable=True),
    "end": Str(nullable=True), "note": Str(nullable=True), "created_at": DateTime(),
})
HOURS_OUT = Schema("WeeklyHoursOut", {"weekday": Int(), "start": Str(), "end": Str()})
AVAILABILITY = Schema("Availability", {
    "trainer_id": Int(), "trainer_name": Str(), "timezone": Str(description="the studio's IANA zone"),
    "weekly": Array(items=HOURS_OUT, max_items=7 * 24),
    "exceptions": Array(items=EXCEPTION_OUT, max_items=10_000),
    "from": Date(), "to": Date(),
})
QUERY = Schema("AvailabilityQuery", {
    "from": Date(description="first day of exceptions listed; default today (studio time)"),
    "to": Date(description=f"last day; default 90 days after `from`, at most {MAX_DAYS} days in all"),
})
TRAINER_404 = "No such trainer visible to the caller (the trainer, their clients, admins)"


def exception_shape(row: dict[str, Any]) -> dict[str, Any]:
    start, end = row["start_minute"], row["end_minute"]
    return {"id": row["id"], "trainer_id": row["trainer_id"], "date": str(row["day"])[:10], "kind": row["kind"],
            "start": None if start is None else slots.hhmm(start), "end": None if end is None else slots.hhmm(end),
            "note": row["note"], "created_at": row["created_at"]}


async def visible_trainer(call: Call, trainer_id: int) -> dict[str, Any]:
    row = await call.db.fetch_one("bookings.trainers.visible", trainer_id=trainer_id, **call.scope)
    if row is None:
        raise not_found("trainer", trainer_id)
    return row


async def managed_trainer(call: Call, trainer_id: int) -> dict[str, Any]:
    row = await call.db.fetch_one("bookings.trainers.managed", trainer_id=trainer_id, **call.scope)
    if row is None:
        raise not_found("trainer", trainer_id)
    return row


def day_range(query: dict[str, Any], today: dt.date, default_days: int, max_days: int) -> tuple[dt.date, dt.date]:
    first = query.get("from") or today
    last = query.get("to") or first + dt.timedelta(days=default_days)
    if last < first:
        raise invalid(("query", "to"), "must not be before `from`", "value_error.range")
    if (last - first).days + 1 > max_days:
        raise invalid(("query", "to"), f"the range is at most {max_days} days", "value_error.range")
    return first, last


async def answer(call: Call, trainer: dict[str, Any], first: dt.date, last: dt.date) -> dict[str, Any]:
    weekly = await schedule.weekly_hours(call.db, trainer["id"])
    exceptions = await schedule.exceptions_between(call.db, trainer["id"], first, last)
    return {"trainer_id": trainer["id"], "trainer_name": trainer["full_name"],
            "timezone": call.settings.studio_timezone,
            "weekly": [{"weekday": day, "start": slots.hhmm(start), "end": slots.hhmm(end)}
                       for day in sorted(weekly) for start, end in weekly[day]],
            "exceptions": [exception_shape(row) for row in exceptions],
            "from": first.isoformat(), "to": last.isoformat()}


async def get_availability(call: Call) -> Response:
    """A trainer's weekly hours and their exceptions in a range of days."""
    trainer = await visible_trainer(call, call.path_int("id"))
    today = slots.local_day(clock.now(), schedule.studio_zone(call.settings))
    first, last = day_range(call.query, today, 90, MAX_DAYS)
    return JSONResponse(await answer(call, trainer, first, last))


def _weekly_rows(trainer_id: int, weekly: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The week as rows, refusing a start not before its end and hours that overlap on one day (loc names them)."""
    problems: list[dict[str, Any]] = []
    rows: list[dict[str, Any]] = []
    for index, item in enumerate(weekly):
        start, end = slots.minutes(item["start"]), slots.minutes(item["end"])
        if start >= end:
            problems.append({"loc": ["body", "weekly", index, "end"], "msg": "must be after `start`",
                             "type": "value_error.range"})
            continue
        for other_index, other in enumerate(rows):
            if other["weekday"] == item["weekday"] and start < other["end_minute"] and other["start_minute"] < end:
                problems.append({"loc": ["body", "weekly", index], "msg": f"overlaps item {other['index']} on the "
                                 "same day", "type": "value_error.overlap"})
                break
        else:
            rows.append({"trainer_id": trainer_id, "weekday": item["weekday"], "start_minute": start,
                         "end_minute": end, "index": index})
    if problems:
        raise ValidationError(problems)
    return [{key: value for key, value in row.items() if key != "index"} for row in rows]


async def set_weekly(call: Call) -> Response:
    """Replace a trainer's weekly hours (the trainer, an admin). Booked sessions stay booked."""
    trainer_id = call.path_int("id")
    rows = _weekly_rows(trainer_id, (call.body or {})["weekly"])
    async with call.db.transaction():
        trainer = await managed_trainer(call, trainer_id)
        await call.db.execute("bookings.availability.clear_hours", trainer_id=trainer_id)
        await call.db.execute_many("bookings.availability.insert_hour", rows)
    today = slots.local_day(clock.now(), schedule.studio_zone(call.settings))
    return JSONResponse(await answer(call, trainer, today, today + dt.timedelta(days=90)))


async def add_exception(call: Call) -> Response:
    """A day off, hours off, or extra hours on one local day (the trainer, an admin)."""
    trainer_id, body = call.path_int("id"), call.body or {}
    start, end = body.get("start"), body.get("end")
    if (start is None) != (end is None):
        missing = "end" if end is None else "start"
        raise invalid(("body", missing), "give both `start` and `end`, or neither", "value_error.missing")
    if body["kind"] == "extra" and start is None:
        raise invalid(("body", "start"), "extra hours need `start` and `end`", "value_error.missing")
    start_minute = None if start is None else slots.minutes(start)
    end_minute = None if end is None else slots.minutes(end)
    if start_minute is not None and end_minute is not None and start_minute >= end_minute:
        raise invalid(("body", "end"), "must be after `start`", "value_error.range")
    async with call.db.transaction():
        await managed_trainer(call, trainer_id)
        row = await call.db.fetch_one("bookings.availability.insert_exception", trainer_id=trainer_id,
                                      day=body["date"], kind=body["kind"], start_minute=start_minute,
                                      end_minute=end_minute, note=body.get("note"), now=clock.now())
    assert row is not None
    return created(exception_shape(row))


async def delete_exception(call: Call) -> Response:
    """Remove one exception (the trainer, an admin)."""
    trainer_id, exception_id = call.path_int("id"), call.path_int("exception_id")
    async with call.db.transaction():
        await managed_trainer(call, trainer_id)
        if await call.db.fetch_val("bookings.availability.delete_exception", id=exception_id,
                                   trainer_id=trainer_id) is None:
            raise not_found("availability exception", exception_id)
    return no_content()

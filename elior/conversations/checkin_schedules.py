"""Check-in schedules: one per client, weekly on a weekday or every N days, set by the client's trainer (or an admin).

`GET /api/check-ins/schedules/{client_id}` is what the client's app asks to show a check-in as due: the schedule, its
template's questions, the period under way and whether it is answered or overdue (elior.conversations.periods).
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.conversations import checkin_templates, periods
from elior.web.errors import invalid, not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import Array, Bool, Date, DateTime, Int, Object, Schema, Str

CADENCES = ("weekly", "every_n_days")

SCHEDULE_SET = Schema("CheckInScheduleSet", {
    "template_id": Int(required=True, minimum=1, description="one of the caller's templates"),
    "cadence": Str(required=True, enum=CADENCES),
    "weekday": Int(minimum=0, maximum=6, description="weekly: the day it is due, 0 = Monday"),
    "every_days": Int(minimum=1, maximum=365, description="every_n_days: the period's length"),
    "start_date": Date(description="the first day it may be due; today by default"),
})
PERIOD = Schema("CheckInPeriod", {
    "period_start": Date(), "period_end": Date(description="the last day of the period"),
    "check_in_id": Int(nullable=True, description="the answers for this period, once given"),
    "overdue": Bool(description=f"not answered {periods.OVERDUE_AFTER.days} days after the period began"),
})
SCHEDULE = Schema("CheckInSchedule", {
    "client_id": Int(), "template_id": Int(), "title": Str(), "cadence": Str(enum=CADENCES),
    "weekday": Int(nullable=True), "every_days": Int(nullable=True), "start_date": Date(),
    "questions": Array(items=checkin_templates.QUESTION_OUT),
    "current": Object(schema_=PERIOD, nullable=True, description="the period under way; null before the first"),
    "next_period_start": Date(), "created_by": Int(nullable=True), "created_at": DateTime(), "updated_at": DateTime(),
})


def cadence_of(row: dict[str, Any]) -> periods.Cadence:
    start = row["start_date"]
    return periods.Cadence(row["cadence"], start if isinstance(start, dt.date) else dt.date.fromisoformat(start),
                           row["weekday"], row["every_days"])


async def current_period(call: Call, client_id: int, cadence: periods.Cadence) -> dict[str, Any] | None:
    today = clock.today()
    start = cadence.current(today)
    if start is None:
        return None
    answered = await call.db.fetch_val("conversations.checkins.answered", client_id=client_id, period_start=start,
                                       **call.scope)
    last = start + cadence.length - dt.timedelta(days=1)
    return {"period_start": start.isoformat(), "period_end": last.isoformat(), "check_in_id": answered,
            "overdue": periods.overdue(start, answered is not None, today)}


async def fetch_schedule(call: Call, client_id: int) -> dict[str, Any]:
    rows = await call.db.fetch_all("conversations.schedules.get", client_id=client_id, **call.scope)
    if not rows:
        raise not_found("check-in schedule of client", client_id)
    first = rows[0]
    cadence = cadence_of(first)
    current = await current_period(call, client_id, cadence)
    following = (dt.date.fromisoformat(current["period_start"]) + cadence.length) if current else cadence.first
    return {"client_id": first["client_id"], "template_id": first["template_id"], "title": first["title"],
            "cadence": first["cadence"], "weekday": first["weekday"], "every_days": first["every_days"],
            "start_date": first["start_date"],
            "questions": [checkin_templates.question(row) for row in rows if row["question_id"] is not None],
            "current": current, "next_period_start": following.isoformat(), "created_by": first["created_by"],
            "created_at": first["created_at"], "updated_at": first["updated_at"]}


async def get_schedule(call: Call) -> Response:
    """A client's check-in schedule, its questions and the period under way (the client, their trainer, admins)."""
    schedule = await fetch_schedule(call, call.path_int("client_id"))
    await access_log.note(call, schedule["client_id"], "check_ins.read")
    return JSONResponse(schedule)


def _check(body: dict[str, Any]) -> periods.Cadence:
    weekly = body["cadence"] == "weekly"
    needed, other = ("weekday", "every_days") if weekly else ("every_days", "weekday")
    if body.get(needed) is None:
        raise invalid(("body", needed), f"is required for a {body['cadence']} schedule", "value_error.missing")
    if body.get(other) is not None:
        raise invalid(("body", other), f"does not apply to a {body['cadence']} schedule", "value_error.extra")
    return periods.Cadence(body["cadence"], body.get("start_date") or clock.today(), body.get("weekday"),
                           body.get("every_days"))


async def set_schedule(call: Call) -> Response:
    """Schedule a client's check-ins (made or replaced): their trainer, with one of their templates, or an admin."""
    client_id, body = call.path_int("client_id"), call.body or {}
    cadence = _check(body)
    if await call.db.fetch_one("conversations.schedules.coached_client", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    rows = await call.db.fetch_all("conversations.templates.get", id=body["template_id"], **call.scope)
    if not rows:
        raise invalid(("body", "template_id"), "is not a check-in template of yours", "value_error.template")
    async with call.db.transaction():
        existing = await call.db.fetch_all("conversations.schedules.get", client_id=client_id, **call.scope)
        announced = existing[0]["due_period"] if existing else None
        next_due = cadence.next_due(clock.today())
        if announced is not None and next_due.isoformat() == str(announced)[:10]:
            next_due += cadence.length  # the period under way was announced already: not twice
        done = await call.db.fetch_val(
            "conversations.schedules.upsert", client_id=client_id, template_id=body["template_id"],
            cadence=cadence.kind, weekday=cadence.weekday, every_days=cadence.every_days, start_date=cadence.start,
            next_due=next_due, due_period=dt.date.fromisoformat(str(announced)[:10]) if announced else None,
            now=clock.now(), **call.scope)
        if done is None:
            raise not_found("client", client_id)
    schedule = await fetch_schedule(call, client_id)
    await access_log.note(call, client_id, "check_ins.change")
    return JSONResponse(schedule)


async def delete_schedule(call: Call) -> Response:
    """End a client's check-ins; what they answered stays."""
    client_id = call.path_int("client_id")
    if await call.db.fetch_val("conversations.schedules.delete", client_id=client_id, **call.scope) is None:
        raise not_found("check-in schedule of client", client_id)
    await access_log.note(call, client_id, "check_ins.change")
    return no_content()

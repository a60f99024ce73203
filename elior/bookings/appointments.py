"""Appointments: booking a place, and reading them (a client their own, a trainer their clients', admins all).

`POST /api/appointments` books one: a client for themself with their trainer, or a trainer (for their client) or an
admin (for any client) with the client's trainer. In one transaction it takes the trainer's and the client's locks
(sql/bookings/appointments/lock*.sql say what each dialect does), checks the time against the same rule `GET /api/slots`
offers from, and holds a credit when the type uses one. Of two requests for the last place, the second to get the
lock finds it taken: 409. Without a credit valid on that day: 402, and nothing is booked.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.bookings import ledger, schedule, slots
from elior.bookings.session_types import fetch_type
from elior.live import events
from elior.web.errors import ApiError, conflict, forbidden, invalid, not_found
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, Date, DateTime, Int, Schema, Str

STATUSES = ("booked", "cancelled", "attended", "no_show")
CREDIT_STATES = ("held", "spent", "returned")
FAR_PAST = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.timezone.utc)

BOOK = Schema("AppointmentCreate", {
    "type_id": Int(required=True, minimum=1, description="the session type"),
    "starts_at": DateTime(required=True, description="a free slot's `starts_at` (GET /api/slots)"),
    "client_id": Int(minimum=1, description="staff: the client booked for; a client books for themself"),
    "trainer_id": Int(minimum=1, description="optional; must be the client's trainer"),
    "notes": Str(max_length=2000, nullable=True),
})
APPOINTMENT = Schema("Appointment", {
    "id": Int(), "trainer_id": Int(nullable=True, description="null once the trainer's account was deleted"),
    "trainer_name": Str(nullable=True), "client_id": Int(), "client_name": Str(),
    "type_id": Int(), "type_name": Str(), "starts_at": DateTime(), "ends_at": DateTime(),
    "status": Str(enum=STATUSES), "late_cancel": Bool(description="cancelled inside the cut-off"),
    "credit": Str(enum=CREDIT_STATES, nullable=True, description="the credit it holds, spent or returned; null "
                  "for a type without credits"),
    "notes": Str(nullable=True), "cancel_reason": Str(nullable=True), "cancelled_at": DateTime(nullable=True),
    "cancelled_by": Int(nullable=True), "marked_at": DateTime(nullable=True), "marked_by": Int(nullable=True),
    "reminded_at": DateTime(nullable=True), "sequence": Int(description="changes a calendar has seen"),
    "created_by": Int(nullable=True), "created_at": DateTime(), "updated_at": DateTime(),
})
APPOINTMENT_PAGE = Schema("AppointmentPage", {
    "items": Array(items=APPOINTMENT), "total": Int(), "limit": Int(), "offset": Int(),
})
LIST_QUERY = Schema("AppointmentQuery", {
    "client_id": Int(minimum=1, description="one client's (a trainer's client, or any for an admin)"),
    "trainer_id": Int(minimum=1, description="one trainer's sessions (the trainer, admins)"),
    "from": Date(description="first local day (studio time) of the starts listed"),
    "to": Date(description="last local day"),
    "status": Str(enum=STATUSES),
    **PAGE,
})
NOT_YOURS = "No such appointment visible to the caller"


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "late_cancel": bool(row["late_cancel"])}


async def fetch_appointment(call: Call, appointment_id: int) -> dict[str, Any]:
    row = await call.db.fetch_one("bookings.appointments.get", id=appointment_id, **call.scope)
    if row is None:
        raise not_found("appointment", appointment_id)
    return shape(row)


async def announce(call: Call, event_type: str, appointment_id: int) -> dict[str, Any]:
    """Inside the change's transaction: the appointment as it is now, recorded as an event, so that its
    notifications are stored with the change or not at all (elior.live.events)."""
    appointment = await fetch_appointment(call, appointment_id)
    # `when`: the start as the studio's wall clock says it, for the notification's sentence.
    when = schedule.spoken(schedule.parse_time(appointment["starts_at"]), schedule.studio_zone(call.settings))
    await events.record(call, event_type, {**appointment, "when": when}, client_id=appointment["client_id"])
    return appointment


def check_start(value: dt.datetime, loc: tuple[str, ...] = ("body", "starts_at")) -> dt.datetime:
    if value.second or value.microsecond:
        raise invalid(loc, "must be a whole minute", "value_error.datetime")
    if value <= clock.now():
        raise invalid(loc, "must be in the future", "value_error.datetime.past")
    return value


async def active_kind(call: Call, type_id: int) -> dict[str, Any]:
    try:
        kind = await fetch_type(call, type_id)
    except ApiError:
        raise invalid(("body", "type_id"), "is not a session type", "value_error.type") from None
    if not kind["is_active"]:
        raise invalid(("body", "type_id"), "is a retired session type", "value_error.retired")
    return kind


async def book(call: Call) -> Response:
    """Book a place in a free slot (the client, their trainer, an admin)."""
    body = call.body or {}
    start = check_start(body["starts_at"])
    if call.user.role == "client":
        if body.get("client_id") not in (None, call.user.id):
            raise forbidden("a client books for themself: leave client_id out")
        client_id = call.user.id
    elif body.get("client_id") is None:
        raise invalid(("body", "client_id"), "is required when staff book", "value_error.missing")
    else:
        client_id = body["client_id"]
    kind_row = await active_kind(call, body["type_id"])
    kind = schedule.kind_of(kind_row)
    tz = schedule.studio_zone(call.settings)
    async with call.db.transaction():
        parties = await call.db.fetch_one("bookings.appointments.parties", client_id=client_id, **call.scope)
        if parties is None:
            raise not_found("client", client_id)
        trainer_id = parties["trainer_id"]
        if trainer_id is None:
            raise conflict(f"client {client_id} has no trainer to book with")
        if body.get("trainer_id") not in (None, trainer_id):
            raise invalid(("body", "trainer_id"), "is not the client's trainer", "value_error.trainer")
        await call.db.fetch_all("bookings.appointments.lock", trainer_id=trainer_id, client_id=client_id)
        place = await schedule.place_at(call.db, call.settings, trainer_id, kind, start)
        if place is None:
            raise conflict("that time is not free: taken, or outside the trainer's hours")
        if await call.db.fetch_val("bookings.appointments.client_overlap", client_id=client_id, exclude_id=0,
                                   starts_at=start, ends_at=place.end, starts_from=start - schedule.LOOK_BACK):
            raise conflict("the client already has a session at that time")
        appointment_id = await call.db.fetch_val(
            "bookings.appointments.insert", client_id=client_id, trainer_id=trainer_id, type_id=kind.id,
            starts_at=start, ends_at=place.end, buffer_minutes=kind_row["buffer_minutes"], notes=body.get("notes"),
            now=clock.now(), **call.scope)
        if appointment_id is None:
            raise not_found("client", client_id)
        if kind_row["uses_credit"] and not await ledger.hold(
                call.db, appointment_id=appointment_id, client_id=client_id, type_id=kind.id,
                day=slots.local_day(start, tz), by=call.user.id):
            raise ApiError(402, f"no credit of {kind_row['name']!r} valid on {slots.local_day(start, tz)}: "
                           "a package of it is needed")
        appointment = await announce(call, "appointment.booked", appointment_id)
    await access_log.note(call, client_id, "appointments.change")
    return JSONResponse(appointment, status_code=201)


async def get_appointment(call: Call) -> Response:
    """One appointment."""
    appointment = await fetch_appointment(call, call.path_int("id"))
    await access_log.note(call, appointment["client_id"], "appointments.read")
    return JSONResponse(appointment)


def starts_range(call: Call) -> tuple[dt.datetime, dt.datetime]:
    tz = schedule.studio_zone(call.settings)
    first, last = call.query.get("from"), call.query.get("to")
    if first and last and last < first:
        raise invalid(("query", "to"), "must not be before `from`", "value_error.range")
    begins = slots.at(first, 0, tz) if first else FAR_PAST
    ends = slots.at(last, slots.DAY_MINUTES, tz) if last else FAR_FUTURE
    return begins, ends


async def list_appointments(call: Call) -> Response:
    """Appointments the caller may see, soonest first: a client's own, a trainer's clients', one client's or one
    trainer's (`client_id`, `trainer_id`), or an admin's whole studio."""
    query = call.query
    begins, ends = starts_range(call)
    values: dict[str, Any] = {"starts_from": begins, "starts_to": ends, "status": query.get("status") or "",
                              **call.scope}
    client_id, trainer_id = query.get("client_id"), query.get("trainer_id")
    if call.user.role == "client" and client_id is None and trainer_id is None:
        client_id = call.user.id
    if client_id is not None:
        if await call.db.fetch_val("bookings.appointments.visible_client", client_id=client_id,
                                   **call.scope) is None:
            raise not_found("client", client_id)
        name, values["client_id"] = "client", client_id
        if trainer_id is not None:
            raise invalid(("query", "trainer_id"), "give client_id or trainer_id, not both", "value_error.extra")
    elif trainer_id is not None or call.user.role == "trainer":
        trainer_id = trainer_id or call.user.id
        if await call.db.fetch_val("bookings.trainers.visible", trainer_id=trainer_id, **call.scope) is None:
            raise not_found("trainer", trainer_id)
        name, values["trainer_id"] = "trainer", trainer_id
    else:
        name = "all"
    rows = await call.db.fetch_all(f"bookings.appointments.page_{name}", **values, limit=query["limit"],
                                   offset=query["offset"])
    total = await call.db.fetch_val(f"bookings.appointments.count_{name}", **values)
    if client_id is not None:  # one client's list, even an empty one, is a look at their bookings
        await access_log.note(call, client_id, "appointments.read")
    else:
        await access_log.note_rows(call, rows, "appointments.read")
    return JSONResponse({"items": [shape(row) for row in rows], "total": int(total), "limit": query["limit"],
                         "offset": query["offset"]})

"""Changing a booked appointment: cancel, reschedule, and attendance, with the studio's cut-off.

The cut-off is CANCEL_CUTOFF_HOURS before the start. A cancel inside it is late: the held credit is spent, as for
a no-show, unless staff waive the fee (`waive_fee`, which a client may not send: 403); earlier, the credit comes
back. A client cancels until the start and reschedules only outside the cut-off (inside it, the choice left is a
late cancel); staff may do both at any time while the place is booked. Attendance is the trainer's (or an
admin's), once the session has begun: `attended` or `no_show` both spend the credit, and either may be corrected
to the other without a second movement. Each change is a conditional UPDATE of a booked row, so of two changes
racing on one appointment the second answers 409 and the credit moves once.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.bookings import ledger, schedule, slots
from elior.bookings.appointments import announce, check_start
from elior.web.errors import conflict, forbidden, not_found
from elior.web.responses import JSONResponse
from elior.web.routing import Call, read_json
from elior.web.schema import Bool, DateTime, Schema, Str

CANCEL = Schema("AppointmentCancel", {
    "reason": Str(max_length=500, nullable=True),
    "waive_fee": Bool(description="staff only: give the credit back even inside the cut-off"),
})
RESCHEDULE = Schema("AppointmentReschedule", {
    "starts_at": DateTime(required=True, description="a free slot's `starts_at` (GET /api/slots)"),
})
ATTENDANCE = Schema("AppointmentAttendance", {
    "status": Str(required=True, enum=("attended", "no_show")),
})


async def optional_body(call: Call, schema: Schema) -> dict[str, Any]:
    """A body that may be left out altogether (a cancel with no reason): validated when one is sent."""
    request = call.request
    if request.headers.get("content-length", "0") == "0" and "transfer-encoding" not in request.headers:
        return {}
    return schema.validate(await read_json(request, call.settings.max_json_kb * 1024))


async def _target(call: Call, appointment_id: int, query: str = "bookings.appointments.target") -> dict[str, Any]:
    row = await call.db.fetch_one(query, id=appointment_id, **call.scope)
    if row is None:
        raise not_found("appointment", appointment_id)
    return row


def _cutoff(call: Call, start: dt.datetime) -> dt.datetime:
    return start - dt.timedelta(hours=call.settings.cancel_cutoff_hours)


async def cancel(call: Call) -> Response:
    """Cancel a booked place (the client, their trainer, an admin); inside the cut-off it is late."""
    appointment_id, body = call.path_int("id"), await optional_body(call, CANCEL)
    is_client = call.user.role == "client"
    if is_client and "waive_fee" in body:
        raise forbidden("only staff may waive the late-cancel fee")
    now = clock.now()
    async with call.db.transaction():
        target = await _target(call, appointment_id)
        if target["status"] != "booked":
            raise conflict(f"appointment {appointment_id} is {target['status']}, not booked")
        start = schedule.parse_time(target["starts_at"])
        if is_client and start <= now:
            raise conflict("the session has begun: your trainer marks it now")
        late = now >= _cutoff(call, start)
        if await call.db.fetch_val("bookings.appointments.cancel", id=appointment_id, late=late,
                                   reason=body.get("reason"), now=now, **call.scope) is None:
            raise conflict(f"appointment {appointment_id} was changed meanwhile")
        spend = late and not body.get("waive_fee")
        await ledger.settle(call.db, appointment_id, "spend" if spend else "release", call.user.id)
        appointment = await announce(call, "appointment.cancelled", appointment_id)
    await access_log.note(call, appointment["client_id"], "appointments.change")
    return JSONResponse(appointment)


async def reschedule(call: Call) -> Response:
    """Move a booked place to another free time with the same trainer (a client: outside the cut-off only)."""
    appointment_id = call.path_int("id")
    start = check_start((call.body or {})["starts_at"])
    now = clock.now()
    tz = schedule.studio_zone(call.settings)
    async with call.db.transaction():
        target = await _target(call, appointment_id)
        if target["status"] != "booked":
            raise conflict(f"appointment {appointment_id} is {target['status']}, not booked")
        if call.user.role == "client" and now >= _cutoff(call, schedule.parse_time(target["starts_at"])):
            raise conflict(f"inside the {call.settings.cancel_cutoff_hours}-hour cut-off a session can no longer "
                           "be moved; cancelling it now is a late cancel")
        await call.db.fetch_all("bookings.appointments.lock", trainer_id=target["trainer_id"],
                                client_id=target["client_id"])
        kind = schedule.kind_of({**target, "id": target["type_id"]})
        place = await schedule.place_at(call.db, call.settings, target["trainer_id"], kind, start,
                                        exclude_id=appointment_id)
        if place is None:
            raise conflict("that time is not free: taken, or outside the trainer's hours")
        if await call.db.fetch_val("bookings.appointments.client_overlap", client_id=target["client_id"],
                                   exclude_id=appointment_id, starts_at=start, ends_at=place.end,
                                   starts_from=start - schedule.LOOK_BACK):
            raise conflict("the client already has a session at that time")
        hold = await ledger.held(call.db, appointment_id)
        if hold is not None and hold["expires_on"] is not None \
                and slots.local_day(start, tz) > schedule.parse_day(hold["expires_on"]):
            raise conflict(f"the credit this place holds expires on {str(hold['expires_on'])[:10]}")
        if await call.db.fetch_val("bookings.appointments.reschedule", id=appointment_id, starts_at=start,
                                   ends_at=place.end, now=now, **call.scope) is None:
            raise conflict(f"appointment {appointment_id} was changed meanwhile")
        appointment = await announce(call, "appointment.updated", appointment_id)
    await access_log.note(call, appointment["client_id"], "appointments.change")
    return JSONResponse(appointment)


async def mark_attendance(call: Call) -> Response:
    """Mark a session attended or a no-show (the client's trainer, an admin), once it has begun."""
    appointment_id, status = call.path_int("id"), (call.body or {})["status"]
    now = clock.now()
    async with call.db.transaction():
        target = await _target(call, appointment_id, "bookings.appointments.coached_target")
        if target["status"] == "cancelled":
            raise conflict(f"appointment {appointment_id} was cancelled")
        if schedule.parse_time(target["starts_at"]) > now:
            raise conflict("the session has not begun yet")
        if await call.db.fetch_val("bookings.appointments.mark", id=appointment_id, status=status, now=now,
                                   **call.scope) is None:
            raise conflict(f"appointment {appointment_id} was changed meanwhile")
        if target["status"] == "booked":
            await ledger.settle(call.db, appointment_id, "spend", call.user.id)
        appointment = await announce(call, "appointment.updated", appointment_id)
    await access_log.note(call, appointment["client_id"], "appointments.change")
    return JSONResponse(appointment)

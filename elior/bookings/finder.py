"""`GET /api/slots`: the free places of one session type with one trainer, day by day, for the booking screen.

Five statements whatever the range (the trainer, the type, the week, the exceptions, the booked sessions); the
computation is elior.bookings.slots, the same rule the booking itself is checked by. Slots already begun are not
offered. A group session with places left is offered at its start with `booked` and `available`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.bookings import schedule, slots
from elior.bookings.availability import day_range, visible_trainer
from elior.bookings.session_types import fetch_type
from elior.web.errors import invalid
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Array, Date, DateTime, Int, Schema, Str

MAX_DAYS = 62
SLOT_QUERY = Schema("SlotQuery", {
    "trainer_id": Int(minimum=1, description="the trainer; a client's own trainer when a client leaves it out"),
    "type": Int(required=True, minimum=1, description="the session type's id"),
    "from": Date(description="first local day (studio time); default today"),
    "to": Date(description=f"last local day; default six days after `from`; at most {MAX_DAYS} days in all"),
})
SLOT = Schema("Slot", {
    "starts_at": DateTime(), "ends_at": DateTime(), "capacity": Int(), "booked": Int(),
    "available": Int(description="places left"),
})
SLOTS_OUT = Schema("Slots", {
    "trainer_id": Int(), "type_id": Int(), "timezone": Str(description="the studio's IANA zone"),
    "from": Date(), "to": Date(), "items": Array(items=SLOT, max_items=MAX_DAYS * 24 * 60),
})


def slot_shape(slot: slots.Slot) -> dict[str, Any]:
    return {"starts_at": clock.iso(slot.start), "ends_at": clock.iso(slot.end), "capacity": slot.capacity,
            "booked": slot.booked, "available": slot.available}


def trainer_of_query(call: Call) -> int:
    trainer_id = call.query.get("trainer_id")
    if trainer_id is None:
        if call.user.role != "client" or call.user.trainer_id is None:
            raise invalid(("query", "trainer_id"), "is required (only a client with a trainer may leave it out)",
                          "value_error.missing")
        trainer_id = call.user.trainer_id
    return int(trainer_id)


async def find_slots(call: Call) -> Response:
    """The free slots of a session type with a trainer over a range of local days."""
    trainer = await visible_trainer(call, trainer_of_query(call))
    kind_row = await fetch_type(call, call.query["type"])
    if not kind_row["is_active"]:
        raise invalid(("query", "type"), "is a retired session type", "value_error.retired")
    tz = schedule.studio_zone(call.settings)
    now = clock.now()
    first, last = day_range(call.query, slots.local_day(now, tz), 6, MAX_DAYS)
    spans = await schedule.trainer_windows(call.db, trainer["id"], first, last, tz)
    begins, ends = schedule.local_range(first, last, tz)
    kind = schedule.kind_of(kind_row)
    sessions = await schedule.sessions_between(call.db, trainer["id"], begins, ends + kind.duration + kind.buffer)
    step = dt.timedelta(minutes=max(1, call.settings.slot_step_minutes))
    found = slots.free_slots(spans, sessions, kind, step, after=now)
    return JSONResponse({"trainer_id": trainer["id"], "type_id": kind.id, "timezone": call.settings.studio_timezone,
                         "from": first.isoformat(), "to": last.isoformat(),
                         "items": [slot_shape(slot) for slot in found]})

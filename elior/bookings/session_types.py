"""Session types: what the studio offers to book (a 60-minute personal session, a small group of six), set by the owner.

Every signed-in user reads them (a client picks one to book); only admins make, change and delete them. A type that
was ever booked or sold cannot be deleted (its appointments and credits name it): it is retired with
`is_active: false`, which takes it out of the slot search and out of new bookings and packages.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.web.errors import conflict, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, DateTime, Int, Schema, Str

SESSION_TYPE = Schema("SessionTypeCreate", {
    "name": Str(required=True, min_length=1, max_length=200, example="Personal training"),
    "duration_minutes": Int(required=True, minimum=5, maximum=720, example=60),
    "capacity": Int(default=1, minimum=1, maximum=100, description="places per session: 1 for personal training"),
    "buffer_minutes": Int(default=0, minimum=0, maximum=240,
                          description="kept free after each session (cleaning, notes, the walk between rooms)"),
    "uses_credit": Bool(default=True, description="booking holds one credit of this type (a package)"),
    "is_active": Bool(default=True, description="false: retired, no longer offered"),
})
SESSION_TYPE_UPDATE = SESSION_TYPE.partial("SessionTypeUpdate")
SESSION_TYPE_OUT = Schema("SessionType", {
    "id": Int(), "name": Str(), "duration_minutes": Int(), "capacity": Int(), "buffer_minutes": Int(),
    "uses_credit": Bool(), "is_active": Bool(), "created_at": DateTime(), "updated_at": DateTime(),
})
SESSION_TYPE_PAGE = Schema("SessionTypePage", {
    "items": Array(items=SESSION_TYPE_OUT), "total": Int(), "limit": Int(), "offset": Int(),
})
LIST_QUERY = Schema("SessionTypeQuery", {
    "active": Bool(default=True, description="only the types offered now; false lists retired ones too"),
    **PAGE,
})
FIELDS = ("name", "duration_minutes", "capacity", "buffer_minutes", "uses_credit", "is_active")


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "uses_credit": bool(row["uses_credit"]), "is_active": bool(row["is_active"])}


async def fetch_type(call: Call, type_id: int) -> dict[str, Any]:
    row = await call.db.fetch_one("bookings.types.get", id=type_id)
    if row is None:
        raise not_found("session type", type_id)
    return shape(row)


async def list_types(call: Call) -> Response:
    """The studio's session types, by name."""
    active_only = 1 if call.query["active"] else 0
    rows = await call.db.fetch_all("bookings.types.page", active_only=active_only, limit=call.query["limit"],
                                   offset=call.query["offset"])
    total = await call.db.fetch_val("bookings.types.count", active_only=active_only)
    return JSONResponse({"items": [shape(row) for row in rows], "total": int(total), "limit": call.query["limit"],
                         "offset": call.query["offset"]})


async def create_type(call: Call) -> Response:
    """Offer a new session type (admins)."""
    body = call.body or {}
    row = await call.db.fetch_one("bookings.types.insert", **{key: body[key] for key in FIELDS}, now=clock.now())
    assert row is not None
    return created(shape(row))


async def get_type(call: Call) -> Response:
    """One session type."""
    return JSONResponse(await fetch_type(call, call.path_int("id")))


async def update_type(call: Call) -> Response:
    """Change a session type (admins). Sessions already booked keep the duration and buffer they were booked with."""
    type_id = call.path_int("id")
    async with call.db.transaction():
        values = {**await fetch_type(call, type_id), **(call.body or {})}
        row = await call.db.fetch_one("bookings.types.update", id=type_id, now=clock.now(),
                                      **{key: values[key] for key in FIELDS})
    if row is None:
        raise not_found("session type", type_id)
    return JSONResponse(shape(row))


async def delete_type(call: Call) -> Response:
    """Delete a session type never booked nor sold (admins); one in use answers 409: retire it instead."""
    type_id = call.path_int("id")
    async with call.db.transaction():
        await fetch_type(call, type_id)
        if await call.db.fetch_val("bookings.types.delete", id=type_id) is None:
            raise conflict(f"session type {type_id} has appointments or packages: set is_active to false instead")
    return no_content()

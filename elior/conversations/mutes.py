"""Muting a kind of notification: a user who mutes `message` is no longer told of new messages (nothing is stored
for them, nothing pushed as notification.created), though the thread itself still updates live. A kind is the part
of an event type before the dot (`message.created` is a `message`); `muted()` is what elior/notifications asks
before storing a notification.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import Response

from elior import clock
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Array, Schema, Str

if TYPE_CHECKING:
    from elior.db.database import Database

KINDS = ("message", "comment", "check_in", "habit", "workout", "meal_entry", "progress", "program")

SETTINGS = Schema("NotificationSettings", {
    "muted": Array(items=Str(enum=KINDS), max_items=len(KINDS), description="the kinds the caller is not told of"),
    "kinds": Array(items=Str(enum=KINDS), max_items=len(KINDS), description="every kind there is"),
})
SETTINGS_SET = Schema("NotificationSettingsSet", {
    "muted": Array(items=Str(enum=KINDS), max_items=len(KINDS), description="replaces the muted kinds"),
})


def kind_of(event_type: str) -> str:
    return event_type.partition(".")[0]


async def muted(db: "Database", user_id: int, event_type: str) -> bool:
    """Whether `user_id` muted the kind of `event_type`."""
    return await db.fetch_val("conversations.mutes.muted", user_id=user_id, kind=kind_of(event_type)) is not None


async def _answer(call: Call) -> Response:
    rows = await call.db.fetch_all("conversations.mutes.list", caller_id=call.user.id)
    return JSONResponse({"muted": [row["kind"] for row in rows], "kinds": list(KINDS)})


async def get_settings(call: Call) -> Response:
    """The notification kinds the caller muted."""
    return await _answer(call)


async def set_settings(call: Call) -> Response:
    """Mute exactly these kinds (an empty list unmutes all)."""
    kinds = sorted(set((call.body or {}).get("muted", [])))
    async with call.db.transaction():
        await call.db.execute("conversations.mutes.clear", caller_id=call.user.id)
        await call.db.execute_many("conversations.mutes.insert",
                                   [{"caller_id": call.user.id, "kind": kind, "now": clock.now()} for kind in kinds])
    return await _answer(call)

"""Notifications: the contract's rules for who is told what, their storage, and the REST endpoints to read them.

Rules (the HTTP contract): a workout created or updated and a meal entry reviewed notify the client; a workout
completed, a meal entry created and a progress entry created notify the client's trainer. Nobody is notified of their
own action (a trainer who logs a workout for a client is not told about it). Every notification is stored before it
is pushed as `notification.created`, so a user who was offline reads it later through
`GET /api/notifications?unread=true`.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import orjson
from starlette.responses import Response

from elior import clock
from elior.live.fanout import Delivery
from elior.web.errors import not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, DateTime, Int, Number, Object, Schema, Str

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.live.events import Event
    from elior.live.hub import Hub

Describe = Callable[[dict[str, Any], dict[str, Any]], str]


def _name(data: dict[str, Any], default: str) -> str:
    return str(data.get("title") or data.get("meal_name") or default)


# Event type -> (who is told, the sentence they read). `who` is the recipients row of sql/live/recipients.sql.
RULES: dict[str, tuple[str, Describe]] = {
    "workout.created": ("client", lambda d, who: f"New workout: {_name(d, 'a workout')}"
                        + (f" on {d['scheduled_for']}" if d.get("scheduled_for") else "")),
    "workout.updated": ("client", lambda d, who: f"Workout changed: {_name(d, 'a workout')}"),
    "meal_entry.reviewed": ("client", lambda d, who: " ".join(
        part for part in ("Your meal entry", d.get("meal_name"), "was", d.get("status") or "reviewed") if part)),
    "workout.completed": ("trainer", lambda d, who: f"{who['client_name']} completed {_name(d, 'a workout')}"),
    "meal_entry.created": ("trainer", lambda d, who: f"{who['client_name']} logged a meal: {_name(d, 'a meal')}"),
    "progress.created": ("trainer", lambda d, who: f"{who['client_name']} logged progress"
                         + (f" for {d['date']}" if d.get("date") else "")),
}
# Copied from the event's object into the notification, so a notification is useful without another request.
KEPT_FIELDS = ("id", "workout_id", "plan_id", "title", "scheduled_for", "status", "date", "meal_name", "weight_kg")


async def record(db: "Database", event: "Event", who: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Store the notifications `event` calls for; return each as (recipient's user id, as the API shows it)."""
    rule = RULES.get(event.type)
    if rule is None:
        return []
    audience, describe = rule
    recipient = who["client_id"] if audience == "client" else who["trainer_id"]
    if recipient is None or recipient == event.actor_id:
        return []
    data = {key: event.data[key] for key in KEPT_FIELDS if event.data.get(key) is not None}
    data.update(client_id=who["client_id"], client_name=who["client_name"], actor_id=event.actor_id,
                message=describe(event.data, who))
    row = await db.fetch_one("notifications.insert", user_id=recipient, type=event.type,
                             data=orjson.dumps(data).decode(), now=clock.now())
    assert row is not None
    return [(int(row["user_id"]), shape(row))]


class Notifier:
    """The event-bus subscriber that stores the notifications an event calls for, then pushes each to its user.

    Subscribed after the hub, so the event itself reaches sockets first: storing a notification is a write, which
    may queue behind other writers.
    """

    def __init__(self, db: "Database", hub: "Hub") -> None:
        self.db = db
        self.hub = hub

    async def on_event(self, event: "Event") -> None:
        if event.type not in RULES:
            return
        who = await self.db.fetch_one("live.recipients", client_id=event.client_id)
        if who is None:
            return
        notes = [Delivery({"type": "notification.created", "data": note, "at": note["created_at"]}, (user_id,))
                 for user_id, note in await record(self.db, event, who)]
        await self.hub.publish(notes)


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "data": orjson.loads(row["data"]),
            "created_at": row["created_at"], "read_at": row["read_at"]}


NOTIFICATION_DATA = Schema("NotificationData", {
    "message": Str(description="one sentence for the user"),
    "client_id": Int(), "client_name": Str(), "actor_id": Int(nullable=True),
    "id": Int(description="the id of the object the event is about"), "workout_id": Int(), "plan_id": Int(),
    "title": Str(), "scheduled_for": Str(), "status": Str(), "date": Str(), "meal_name": Str(), "weight_kg": Number(),
})
NOTIFICATION = Schema("Notification", {
    "id": Int(),
    "type": Str(description="the event that caused it, e.g. workout.created"),
    "data": Object(schema_=NOTIFICATION_DATA),
    "created_at": DateTime(),
    "read_at": DateTime(nullable=True),
})
NOTIFICATION_LIST = Schema("NotificationList", {
    "items": Array(items=NOTIFICATION), "total": Int(), "limit": Int(), "offset": Int(),
})
LIST_QUERY = Schema("NotificationQuery", {
    "unread": Bool(default=False, description="only notifications not yet marked read"),
    **PAGE,
})


async def list_notifications(call: Call) -> Response:
    """The caller's notifications, newest first."""
    scope = {"caller_id": call.user.id, "only_unread": 1 if call.query["unread"] else 0}
    rows = await call.db.fetch_all("notifications.list", **scope, limit=call.query["limit"],
                                   offset=call.query["offset"])
    total = await call.db.fetch_val("notifications.count", **scope)
    return JSONResponse({"items": [shape(row) for row in rows], "total": int(total),
                         "limit": call.query["limit"], "offset": call.query["offset"]})


async def mark_read(call: Call) -> Response:
    """Mark one of the caller's notifications read (again is fine: the first read time is kept)."""
    ident = call.path_int("id")
    found = await call.db.fetch_val("notifications.mark_read", id=ident, caller_id=call.user.id, now=clock.now())
    if found is None:
        raise not_found("notification", ident)
    return no_content()


async def mark_all_read(call: Call) -> Response:
    """Mark every unread notification of the caller read."""
    await call.db.execute("notifications.mark_all_read", caller_id=call.user.id, now=clock.now())
    return no_content()

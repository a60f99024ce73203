"""Notifications: the contract's rules for who is told what, their storage, and the REST endpoints to read them.

Rules (the HTTP contract): a workout created or updated and a meal entry reviewed notify the client; a workout
completed, a meal entry created and a progress entry created notify the client's trainer. Nobody is notified of their
own action (a trainer who logs a workout for a client is not told about it). Every notification is stored before it
is pushed as `notification.created`, so a user who was offline reads it later through
`GET /api/notifications?unread=true`. An event recorded inside its write's transaction (`events.record`) has its
notifications stored in that same transaction, and their pushes wait in the notification outbox until it commits
(elior/live/outbox.py): the write and its notifications are committed together or not at all. A recipient who
chose to get that kind by mail `immediately` (elior/notifications/preferences.py) has the mail queued there too, so
it commits with them.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

import orjson
from starlette.responses import Response

from elior import clock
from elior.live.fanout import Delivery
from elior.notifications.mailing import mail_now, wake_sender
from elior.web.errors import not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, DateTime, Int, Number, Object, Schema, Str

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.live.events import Event
    from elior.live.hub import Hub
    from elior.settings import Settings

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
    "program.assigned": ("client", lambda d, who: f"New program: {_name(d, 'a program')}"
                         + (f" from {d['start_date']}" if d.get("start_date") else "")),
    # "other": the side that did not act (a client's message tells their trainer; a trainer's, the client).
    "message.created": ("other", lambda d, who: f"New message from {d.get('sender_name') or 'your conversation'}"),
    "comment.created": ("other", lambda d, who: f"{d.get('author_name') or 'Someone'} commented on "
                        f"{_name(d, 'a workout')}"),
    "check_in.due": ("client", lambda d, who: f"Check-in due: {_name(d, 'your check-in')}"),
    "check_in.submitted": ("trainer", lambda d, who: f"{who['client_name']} filled in {_name(d, 'a check-in')}"),
    "check_in.replied": ("client", lambda d, who: f"Your trainer replied to your check-in: {_name(d, 'check-in')}"),
    "habit.assigned": ("client", lambda d, who: f"New habit: {_name(d, 'a habit')}"),
    # `when` is the start as the studio's wall clock says it ("Tue 24 Mar 2026, 10:00").
    "appointment.booked": ("other", lambda d, who: f"{d.get('type_name') or 'A session'} booked for "
                           f"{d.get('when') or d.get('starts_at')}"
                           + (f" by {who['client_name']}" if d.get("created_by") == who["client_id"] else "")),
    "appointment.cancelled": ("other", lambda d, who: f"Cancelled{' (late)' if d.get('late_cancel') else ''}: "
                              f"{d.get('type_name') or 'a session'} on {d.get('when') or d.get('starts_at')}"),
    "appointment.updated": ("other", lambda d, who: f"{d.get('type_name') or 'A session'} on "
                            f"{d.get('when') or d.get('starts_at')}: "
                            + {"attended": "marked attended", "no_show": "marked a no-show"}.get(
                                d.get("status") or "", "moved")),
    "appointment.reminder": ("client", lambda d, who: f"Reminder: {d.get('type_name') or 'your session'} "
                             f"on {d.get('when') or d.get('starts_at')}"),
}
# Copied from the event's object into the notification, so a notification is useful without another request: with
# them (and client_id, client_name) the browser builds every sentence of RULES in the user's language from `type` and
# `data` (static/src/notification_text.js); `message` stays the English sentence for scripts and mails.
KEPT_FIELDS = ("id", "workout_id", "plan_id", "title", "scheduled_for", "status", "date", "meal_name", "weight_kg",
               "period_start", "starts_at", "type_name", "when", "start_date", "sender_name", "author_name",
               "created_by", "late_cancel")


async def record(db: "Database", event: "Event", who: dict[str, Any]) -> list[tuple[int, dict[str, Any]]]:
    """Store the notifications `event` calls for; return each as (recipient's user id, as the API shows it)."""
    rule = RULES.get(event.type)
    if rule is None:
        return []
    audience, describe = rule
    if audience == "other":
        recipient = who["trainer_id"] if event.actor_id == who["client_id"] else who["client_id"]
    else:
        recipient = who["client_id"] if audience == "client" else who["trainer_id"]
    if recipient is None or recipient == event.actor_id:
        return []
    if await db.fetch_val("conversations.mutes.muted", user_id=recipient, kind=event.type.partition(".")[0]):
        return []  # the user muted this kind (elior/conversations/mutes.py)
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
    may queue behind other writers. For an event recorded in its write's transaction the notifications are stored
    in it, and their pushes join the event's staged ones, sent after the commit.
    """

    def __init__(self, db: "Database", hub: "Hub", settings: "Settings | None" = None, mail: Any = None) -> None:
        self.db = db
        self.hub = hub
        self.settings = settings  # with the mail sender: mail the notifications users want `immediately`
        self.mail = mail

    async def on_event(self, event: "Event") -> None:
        if event.type not in RULES:
            return
        who = await event.recipients(self.db)
        if who is None:
            return
        stored = await record(self.db, event, who)
        notes = [Delivery({"type": "notification.created", "data": note, "at": note["created_at"]}, (user_id,))
                 for user_id, note in stored]
        if self.settings is not None and stored:
            mailed = [await mail_now(self.db, self.settings, user_id, event.type, note["data"]["message"])
                      for user_id, note in stored]
            if any(mailed):
                wake_sender(self.mail, event.staged is not None)
        if event.staged is not None:
            event.staged.extend(notes)
        else:
            await self.hub.publish(notes)


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "type": row["type"], "data": orjson.loads(row["data"]),
            "created_at": row["created_at"], "read_at": row["read_at"]}


NOTIFICATION_DATA = Schema("NotificationData", {
    "message": Str(description="one sentence for the user"),
    "client_id": Int(), "client_name": Str(), "actor_id": Int(nullable=True),
    "id": Int(description="the id of the object the event is about"), "workout_id": Int(), "plan_id": Int(),
    "title": Str(), "scheduled_for": Str(), "status": Str(), "date": Str(), "meal_name": Str(), "weight_kg": Number(),
    "period_start": Str(), "starts_at": Str(), "type_name": Str(), "when": Str(), "start_date": Str(),
    "sender_name": Str(), "author_name": Str(),
    "created_by": Int(description="who booked an appointment (its client: booked by the client)"),
    "late_cancel": Bool(description="an appointment cancelled inside the cut-off"),
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

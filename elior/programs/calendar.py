"""The calendar: scheduled workouts grouped by day, for a client (their own) or a trainer (all their clients, or one
with `?client_id=`); and the per-user feed token of the iCal feed (elior.programs.ical).

Rescheduling is the workouts' own `PUT /api/workouts/{id}` with a new `scheduled_for` (it records
`workout.updated`, which notifies the client). A workout planned for a day already past is shown as `missed`.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.db.database import Database
from elior.web.errors import invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import Array, Bool, Date, Int, Schema, Str
from elior.web.tokens import hash_token

MAX_DAYS = 92  # a quarter: the month view with its leading and trailing weeks fits, a year's worth does not
MAX_ITEMS = 10_000  # workouts one answer holds; past it `truncated` says so (a studio-wide quarter, say)
STATUSES = ("planned", "completed", "skipped")

QUERY = Schema("CalendarQuery", {
    "from": Date(description="first day; default: this week's Monday (UTC)"),
    "to": Date(description=f"last day; default: six days after `from`; at most {MAX_DAYS} days in all"),
    "client_id": Int(minimum=1, description="one client (a trainer's, or any for an admin)"),
    "trainer_id": Int(minimum=1, description="admins: one trainer's clients"),
})
ITEM = Schema("CalendarWorkout", {
    "id": Int(), "client_id": Int(), "client_name": Str(), "title": Str(),
    "notes": Str(nullable=True, max_length=5000),
    "scheduled_for": Date(), "status": Str(enum=STATUSES),
    "missed": Bool(description="planned for a day before today and not logged"),
    "completed_at": Str(nullable=True), "updated_at": Str(), "program_id": Int(nullable=True),
    "program_title": Str(nullable=True), "assignment_id": Int(nullable=True), "week": Int(nullable=True),
    "day": Int(nullable=True), "exercise_count": Int(),
})
DAY = Schema("CalendarDay", {"date": Date(), "workouts": Array(items=ITEM, max_items=MAX_ITEMS)})
CALENDAR_OUT = Schema("Calendar", {
    "from": Date(), "to": Date(), "client_id": Int(nullable=True),
    "days": Array(items=DAY, max_items=MAX_DAYS), "truncated": Bool(),
})
FEED_OUT = Schema("CalendarFeed", {
    "active": Bool(), "created_at": Str(nullable=True),
    "token": Str(description="only in the answer that makes it: it is stored hashed"),
    "url": Str(description="the feed to subscribe to"), "webcal_url": Str(description="the same for phones"),
})
FEED_STATE = Schema("CalendarFeedState", {"active": Bool(), "created_at": Str(nullable=True)})


async def workouts_between(db: Database, scope: dict[str, Any], date_from: dt.date, date_to: dt.date, *,
                           client_id: int | None = None, trainer_id: int | None = None,
                           limit: int = MAX_ITEMS) -> list[dict[str, Any]]:
    """The workouts `scope` (a caller's id and role) may see in the range: one client's, one trainer's clients', or
    (an admin) the studio's; a client always sees only their own. One statement."""
    values = {"date_from": date_from, "date_to": date_to, "limit": limit, **scope}
    if scope["caller_role"] == "client":
        client_id = scope["caller_id"]
    if client_id is not None:
        rows = await db.fetch_all("programs.calendar.client", client_id=client_id, **values)
    elif scope["caller_role"] == "trainer" or trainer_id is not None:
        rows = await db.fetch_all("programs.calendar.trainer", trainer_id=trainer_id or scope["caller_id"], **values)
    else:
        rows = await db.fetch_all("programs.calendar.all", **values)
    today = clock.today().isoformat()
    for row in rows:
        row["missed"] = row["status"] == "planned" and row["scheduled_for"] < today
    return rows


def _range(query: dict[str, Any]) -> tuple[dt.date, dt.date]:
    today = clock.today()
    date_from = query.get("from") or today - dt.timedelta(days=today.weekday())
    date_to = query.get("to") or date_from + dt.timedelta(days=6)
    if date_from > date_to:
        raise invalid(("query", "from"), "must not be after `to`", "value_error.date_range")
    if (date_to - date_from).days >= MAX_DAYS:
        raise invalid(("query", "to"), f"the range may span at most {MAX_DAYS} days", "value_error.date_range")
    return date_from, date_to


async def calendar(call: Call) -> Response:
    """Scheduled workouts from `from` to `to`, grouped by day (every day of the range, empty ones too)."""
    date_from, date_to = _range(call.query)
    client_id = call.query.get("client_id")
    if client_id is not None and await call.db.fetch_one("programs.calendar.visible_client", client_id=client_id,
                                                         **call.scope) is None:
        raise not_found("client", client_id)
    trainer_id = call.query.get("trainer_id") if call.user.role == "admin" else None
    rows = await workouts_between(call.db, call.scope, date_from, date_to, client_id=client_id,
                                  trainer_id=trainer_id, limit=MAX_ITEMS + 1)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in rows[:MAX_ITEMS]:
        by_day.setdefault(row["scheduled_for"], []).append(row)
    days = [{"date": day.isoformat(), "workouts": by_day.get(day.isoformat(), [])}
            for day in (date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1))]
    shown = client_id if client_id is not None else call.user.id if call.user.role == "client" else None
    if client_id is not None:  # one client's calendar, even an empty one, is a look at their workouts
        await access_log.note(call, client_id, "workouts.read")
    else:
        await access_log.note_rows(call, rows[:MAX_ITEMS], "workouts.read")
    return JSONResponse({"from": date_from.isoformat(), "to": date_to.isoformat(), "client_id": shown,
                         "days": days, "truncated": len(rows) > MAX_ITEMS})


# --- the feed token ---

async def make_feed(call: Call) -> Response:
    """A new feed token for the caller (the previous one, if any, stops working): subscribe to `url`."""
    token = "cal_" + secrets.token_urlsafe(32)
    row = await call.db.fetch_one("programs.feeds.upsert", token_hash=hash_token(token), now=clock.now(),
                                  **call.scope)
    assert row is not None
    url = str(call.request.url_for("GET /api/calendar.ics").include_query_params(token=token))
    return created({"active": True, "created_at": row["created_at"], "token": token, "url": url,
                    "webcal_url": "webcal://" + url.split("://", 1)[1]})


async def feed_state(call: Call) -> Response:
    """Whether the caller has a feed token, and since when."""
    row = await call.db.fetch_one("programs.feeds.get", **call.scope)
    return JSONResponse({"active": row is not None, "created_at": row["created_at"] if row else None})


async def revoke_feed(call: Call) -> Response:
    """Revoke the caller's feed token: the feed answers 404 from now on. Revoking none is no error."""
    await call.db.execute("programs.feeds.delete", **call.scope)
    return no_content()

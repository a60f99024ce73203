"""The iCal feed: `GET /api/calendar.ics?token=...`, what a phone's calendar subscribes to.

A phone cannot send a bearer token, so the feed is opened by its own token (elior.programs.calendar makes, rotates
and revokes it; only its hash is stored). An unknown, rotated or revoked token, or one of a deactivated user, is a
404. The feed shows what its user may see now, from the role they have now: a client their own workouts, a trainer
their clients' (each titled with the client's name), an admin the studio's, from four weeks back to a quarter ahead.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
from starlette.responses import Response

from elior import clock
from elior.bookings.feed import appointment_events
from elior.programs.calendar import MAX_ITEMS, workouts_between
from elior.web.errors import not_found
from elior.web.routing import Call
from elior.web.schema import Schema, Str
from elior.web.tokens import hash_token

DAYS_BACK, DAYS_AHEAD = 28, 91
FEED_QUERY = Schema("CalendarFeedQuery", {
    "token": Str(required=True, min_length=1, max_length=200, description="the feed token (POST /api/calendar/feed)"),
})
MEDIA_TYPE = "text/calendar; charset=utf-8"


def _event(row: dict[str, Any], domain: str, for_staff: bool) -> icalendar.Event:
    event = icalendar.Event()
    day = dt.date.fromisoformat(row["scheduled_for"])
    title = f"{row['client_name']}: {row['title']}" if for_staff else row["title"]
    if row["status"] == "completed":
        title = f"Done: {title}"
    event.add("uid", f"workout-{row['id']}@{domain}")
    event.add("summary", title)
    event.add("dtstart", day)  # an all-day event: a workout has a day, not an hour
    event.add("dtend", day + dt.timedelta(days=1))
    changed = dt.datetime.fromisoformat(row["updated_at"].replace("Z", "+00:00"))
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    event.add("status", "CANCELLED" if row["status"] == "skipped" else "CONFIRMED")
    lines = []
    if row["program_title"]:
        lines.append(f"{row['program_title']}, week {row['week']} day {row['day']}")
    lines.append(f"{row['exercise_count']} exercise(s), {row['status']}")
    if row["notes"]:
        lines.append(row["notes"])
    event.add("description", "\n".join(lines))
    return event


async def feed(call: Call) -> Response:
    """The feed token's user's workouts as an iCalendar file (RFC 5545)."""
    owner = await call.db.fetch_one("programs.feeds.owner", token_hash=hash_token(call.query["token"]))
    if owner is None:
        raise not_found("calendar feed", "for this token")
    scope = {"caller_id": owner["id"], "caller_role": owner["role"]}
    today = clock.today()
    rows = await workouts_between(call.db, scope, today - dt.timedelta(days=DAYS_BACK),
                                  today + dt.timedelta(days=DAYS_AHEAD), limit=MAX_ITEMS)
    domain = call.settings.domain
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Elior//Workouts//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Elior: {owner['full_name']}")
    # How often a subscribing calendar should fetch again: hourly (Apple's and Google's own names for it).
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for row in rows:
        calendar.add_component(_event(row, domain, for_staff=owner["role"] != "client"))
    # Booked sessions too, each keeping its UID and SEQUENCE so a subscribed phone moves or removes it.
    for event in await appointment_events(call.db, owner, domain=domain):
        calendar.add_component(event)
    return Response(calendar.to_ical(), media_type=MEDIA_TYPE,
                    headers={"Cache-Control": "private, max-age=300", "Content-Disposition":
                             'inline; filename="elior.ics"'})

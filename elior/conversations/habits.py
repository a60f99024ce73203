"""Habits: a trainer gives a client habits (daily, or N times a week, with an optional target such as 8,000 steps);
the client ticks them per day, at most once a day (ticking again only changes the value); each habit shows this
week's completion, the last weeks' percentages and its streak (elior.conversations.periods).

A tick with a value below the habit's target is kept but does not count as done. A client ticks today or up to
TICK_DAYS_BACK days back (a day forgotten), never the future and never before the habit began.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.conversations import periods
from elior.live import events
from elior.web.errors import invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, Date, DateTime, Int, Number, Object, Schema, Str

TICK_DAYS_BACK = 7
HISTORY_WEEKS = 12
STREAK_DAYS = 400  # ticks read for a streak: a streak longer than a year shows as a year's worth
CADENCES = ("daily", "weekly")

HABIT_CREATE = Schema("HabitCreate", {
    "client_id": Int(required=True, minimum=1), "title": Str(required=True, min_length=1, max_length=200),
    "cadence": Str(enum=CADENCES, default="daily"),
    "times_per_week": Int(minimum=1, maximum=7, description="weekly habits: how many days a week; daily: 7"),
    "target_value": Number(nullable=True, minimum=0.001, maximum=1e9, description="e.g. 8000"),
    "target_unit": Str(nullable=True, max_length=20, description="e.g. steps"),
    "start_date": Date(description="today by default"),
})
HABIT_UPDATE = Schema("HabitUpdate", {
    **{k: v for k, v in HABIT_CREATE.partial("x").fields.items() if k not in ("client_id", "start_date")},
    "archived": Bool(description="an archived habit is no longer ticked nor listed by default"),
})
TICK = Schema("HabitTickSet", {"value": Number(nullable=True, minimum=0, maximum=1e9,
                                               description="how much, for a habit with a target")})
TICK_OUT = Schema("HabitTick", {"habit_id": Int(), "day": Date(), "value": Number(nullable=True), "done": Bool()})
WEEK = Schema("HabitWeek", {"week_start": Date(), "done": Int(), "goal": Int(), "percent": Int()})
HABIT = Schema("Habit", {
    "id": Int(), "client_id": Int(), "created_by": Int(nullable=True), "title": Str(), "cadence": Str(enum=CADENCES),
    "times_per_week": Int(), "target_value": Number(nullable=True), "target_unit": Str(nullable=True),
    "start_date": Date(), "archived_at": DateTime(nullable=True), "created_at": DateTime(), "updated_at": DateTime(),
    "this_week": Object(schema_=WEEK), "streak": Int(description="days (daily) or weeks (weekly) in a row"),
    "streak_unit": Str(enum=("days", "weeks")), "ticked_today": Bool(),
})
HABIT_LIST = Schema("HabitList", {"items": Array(items=HABIT), "total": Int(), "limit": Int(), "offset": Int()})
HABIT_HISTORY = Schema("HabitHistory", {"habit": Object(schema_=HABIT),
                                        "weeks": Array(items=WEEK, description="newest first"),
                                        "ticks": Array(items=TICK_OUT, max_items=1000)})
LIST_QUERY = Schema("HabitQuery", {"client_id": Int(minimum=1, description="required for trainers and admins"),
                                   "archived": Bool(default=False, description="archived habits too"), **PAGE})
HISTORY_QUERY = Schema("HabitHistoryQuery", {"weeks": Int(minimum=1, maximum=104, default=HISTORY_WEEKS)})


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def is_done(habit: dict[str, Any], value: float | None) -> bool:
    target = habit["target_value"]
    return target is None or value is None or value >= target


def shape(habit: dict[str, Any], ticks: list[dict[str, Any]], today: dt.date) -> dict[str, Any]:
    done = {_day(t["day"]) for t in ticks if is_done(habit, t["value"])}
    start = _day(habit["start_date"])
    this_week = periods.weeks(done, habit["times_per_week"], start, today, 1)
    week = this_week[0] if this_week else periods.Week(periods.week_start(today), 0, 0)
    return {**{key: habit[key] for key in HABIT.fields if key in habit}, "this_week": week.as_dict(),
            "streak": periods.streak(done, habit["cadence"], habit["times_per_week"], start, today),
            "streak_unit": "days" if habit["cadence"] == "daily" else "weeks", "ticked_today": today in done}


async def _fetch(call: Call, habit_id: int) -> dict[str, Any]:
    habit = await call.db.fetch_one("conversations.habits.get", id=habit_id, **call.scope)
    if habit is None:
        raise not_found("habit", habit_id)
    return habit


async def _ticks(call: Call, client_id: int, since: dt.date) -> list[dict[str, Any]]:
    return await call.db.fetch_all("conversations.habits.ticks", client_id=client_id, since=since, **call.scope)


async def _shaped(call: Call, habit: dict[str, Any]) -> dict[str, Any]:
    today = clock.today()
    ticks = [t for t in await _ticks(call, habit["client_id"], today - dt.timedelta(days=STREAK_DAYS))
             if t["habit_id"] == habit["id"]]
    return shape(habit, ticks, today)


def _frequency(body: dict[str, Any], current: dict[str, Any] | None = None) -> tuple[str, int]:
    """(cadence, times a week): a daily habit is 7; a weekly one needs its number, or keeps the one it had."""
    cadence = body.get("cadence") or (current["cadence"] if current else "daily")
    if cadence == "daily":
        if body.get("times_per_week") not in (None, 7):
            raise invalid(("body", "times_per_week"), "a daily habit is 7 times a week", "value_error.cadence")
        return cadence, 7
    times = body.get("times_per_week")
    if times is None and current is not None and current["cadence"] == "weekly":
        times = current["times_per_week"]
    if times is None:
        raise invalid(("body", "times_per_week"), "is required for a weekly habit", "value_error.missing")
    return cadence, int(times)


async def create_habit(call: Call) -> Response:
    """Give a client a habit: their trainer, or an admin."""
    body = call.body or {}
    cadence, times = _frequency(body)
    async with call.db.transaction():  # the habit and its event commit together
        habit_id = await call.db.fetch_val(
            "conversations.habits.insert", client_id=body["client_id"], title=body["title"], cadence=cadence,
            times_per_week=times, target_value=body.get("target_value"), target_unit=body.get("target_unit"),
            start_date=body.get("start_date") or clock.today(), now=clock.now(), caller_id=call.user.id,
            caller_role=call.user.role)
        if habit_id is None:
            raise not_found("client", body["client_id"])
        habit = await _shaped(call, await _fetch(call, habit_id))
        await events.record(call, "habit.assigned", habit, client_id=habit["client_id"])
    await access_log.note(call, habit["client_id"], "habits.change")
    return created(habit)


async def list_habits(call: Call) -> Response:
    """A client's habits with this week's completion and their streaks."""
    client_id = call.query.get("client_id")
    if client_id is None:
        if call.user.role != "client":
            raise invalid(("query", "client_id"), "is required for trainers and admins", "value_error.missing")
        client_id = call.user.id
    if await call.db.fetch_one("conversations.threads.visible", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    where = {"client_id": client_id, "archived": 1 if call.query["archived"] else 0, **call.scope}
    habits = await call.db.fetch_all("conversations.habits.page", **where, **page)
    total = await call.db.fetch_val("conversations.habits.count", **where)
    today = clock.today()
    by_habit: dict[int, list[dict[str, Any]]] = {}
    for tick in await _ticks(call, client_id, today - dt.timedelta(days=STREAK_DAYS)):
        by_habit.setdefault(tick["habit_id"], []).append(tick)
    await access_log.note(call, client_id, "habits.read")
    return JSONResponse({"items": [shape(h, by_habit.get(h["id"], []), today) for h in habits], "total": int(total),
                         **page})


async def get_habit(call: Call) -> Response:
    habit = await _shaped(call, await _fetch(call, call.path_int("id")))
    await access_log.note(call, habit["client_id"], "habits.read")
    return JSONResponse(habit)


async def history(call: Call) -> Response:
    """A habit's last weeks (completion % each, newest first) and its ticks over them."""
    habit = await _fetch(call, call.path_int("id"))
    today, count = clock.today(), call.query["weeks"]
    since = periods.week_start(today) - dt.timedelta(days=7 * (count - 1))
    ticks = [t for t in await _ticks(call, habit["client_id"], min(since, today - dt.timedelta(days=STREAK_DAYS)))
             if t["habit_id"] == habit["id"]]
    done = {_day(t["day"]) for t in ticks if is_done(habit, t["value"])}
    weeks = periods.weeks(done, habit["times_per_week"], _day(habit["start_date"]), today, count)
    await access_log.note(call, habit["client_id"], "habits.read")
    return JSONResponse({"habit": shape(habit, ticks, today), "weeks": [w.as_dict() for w in weeks],
                         "ticks": [{"habit_id": t["habit_id"], "day": t["day"], "value": t["value"],
                                    "done": is_done(habit, t["value"])} for t in ticks if _day(t["day"]) >= since]})


async def update_habit(call: Call) -> Response:
    """Change a habit (its client's trainer, an admin); `archived: true` retires it, keeping its ticks."""
    habit_id, body = call.path_int("id"), call.body or {}
    current = await _fetch(call, habit_id)
    cadence, times = _frequency(body, current)
    archived_at = current["archived_at"]
    if "archived" in body:
        archived_at = (archived_at or clock.now()) if body["archived"] else None
    values = {key: body[key] if key in body else current[key] for key in ("title", "target_value", "target_unit")}
    if await call.db.fetch_val("conversations.habits.update", id=habit_id, cadence=cadence, times_per_week=times,
                               archived_at=archived_at, now=clock.now(), **values, caller_id=call.user.id,
                               caller_role=call.user.role) is None:
        raise not_found("habit", habit_id)
    habit = await _shaped(call, await _fetch(call, habit_id))
    await access_log.note(call, habit["client_id"], "habits.change")
    return JSONResponse(habit)


async def delete_habit(call: Call) -> Response:
    habit_id = call.path_int("id")
    habit = await _fetch(call, habit_id)  # whose it was, for the access log (a habit not visible: 404 as before)
    if await call.db.fetch_val("conversations.habits.delete", id=habit_id, **call.scope) is None:
        raise not_found("habit", habit_id)
    await access_log.note(call, habit["client_id"], "habits.change")
    return no_content()


def _tick_day(call: Call, habit: dict[str, Any]) -> dt.date:
    raw = call.request.path_params["day"]
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise invalid(("path", "day"), "must be a date, YYYY-MM-DD", "value_error.date") from None
    today = clock.today()
    if day > today:
        raise invalid(("path", "day"), "must not be in the future", "value_error.date.future")
    if day < today - dt.timedelta(days=TICK_DAYS_BACK):
        raise invalid(("path", "day"), f"may be at most {TICK_DAYS_BACK} days ago", "value_error.date.past")
    if day < _day(habit["start_date"]):
        raise invalid(("path", "day"), "is before the habit began", "value_error.date.past")
    return day


async def tick(call: Call) -> Response:
    """The client ticks their habit for a day; again the same day only changes the value (idempotent)."""
    habit = await _fetch(call, call.path_int("id"))
    day = _tick_day(call, habit)
    row = await call.db.fetch_one("conversations.habits.tick", id=habit["id"], day=day,
                                  value=(call.body or {}).get("value"), now=clock.now(), **call.scope)
    if row is None:
        raise not_found("habit", habit["id"])  # archived, or someone else's
    return JSONResponse({"habit_id": row["habit_id"], "day": str(row["day"])[:10], "value": row["value"],
                         "done": is_done(habit, row["value"])})


async def untick(call: Call) -> Response:
    """The client takes a day's tick back (204 whether or not there was one)."""
    habit = await _fetch(call, call.path_int("id"))
    day = _tick_day(call, habit)
    await call.db.fetch_val("conversations.habits.untick", id=habit["id"], day=day, **call.scope)
    return no_content()

"""Meal entries: what a client ate against their plan, reviewed by their trainer; and the plan's daily adherence.

The client logs an entry (`pending`) and may edit it until it is reviewed; only the client's trainer or an admin
reviews it (`approved`/`rejected` with a comment), never the client. A photo is the name of one of the client's own
files, checked in SQL.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.live import events
from elior.nutrition.meal_plans import MACROS, fetch_plan, macro_totals
from elior.web.errors import conflict, forbidden, invalid, not_found
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, Int, Number, Object, Schema, Str

MAX_ADHERENCE_DAYS = 366
STATUSES = ("pending", "approved", "rejected")


def latest_allowed_date() -> dt.date:
    """Today somewhere on Earth (UTC+14): a client east of UTC may log their morning before UTC's date turns."""
    return (clock.now() + dt.timedelta(hours=14)).date()


ENTRY_FIELDS = {
    "date": Date(required=True, description="the day eaten; not in the future"),
    "meal_name": Str(required=True, min_length=1, max_length=100),
    "description": Str(nullable=True, max_length=2000),
    "photo_file": Str(nullable=True, max_length=200, description="the filename of one of the client's files"),
    "kcal": Number(nullable=True, minimum=0, maximum=20000),
    "protein_g": Number(nullable=True, minimum=0, maximum=2000),
    "carbs_g": Number(nullable=True, minimum=0, maximum=2000),
    "fat_g": Number(nullable=True, minimum=0, maximum=2000),
}
ENTRY_CREATE = Schema("MealEntryCreate", ENTRY_FIELDS)
ENTRY_UPDATE = ENTRY_CREATE.partial("MealEntryUpdate")
REVIEW = Schema("MealEntryReview", {
    "status": Str(required=True, enum=("approved", "rejected")),
    "comment": Str(nullable=True, max_length=2000),
})
LIST_QUERY = Schema("MealEntryListQuery", {"from": Date(), "to": Date(), "status": Str(enum=STATUSES), **PAGE})
ADHERENCE_QUERY = Schema("AdherenceQuery", {
    "from": Date(description="default: the plan's start"),
    "to": Date(description="default: the plan's end, or today"),
})

ENTRY_OUT = Schema("MealEntry", {
    "id": Int(), "plan_id": Int(), "client_id": Int(), "date": Date(), "meal_name": Str(),
    "description": Str(nullable=True), "photo_file": Str(nullable=True),
    **{name: Number(nullable=True) for name in MACROS},
    "status": Str(enum=STATUSES), "review_comment": Str(nullable=True), "reviewed_by": Int(nullable=True),
    "reviewed_at": Str(nullable=True), "created_at": Str(), "updated_at": Str(),
})
ENTRY_LIST = Schema("MealEntryList", {"items": Array(items=ENTRY_OUT), "total": Int(), "limit": Int(),
                                      "offset": Int()})
_MACRO_OUT = Schema("MacroAmounts", {name: Number(nullable=True) for name in MACROS})
_DAY = Schema("AdherenceDay", {
    "date": Date(), "entries": Object(schema_=Schema("EntriesByStatus", {s: Int() for s in (*STATUSES, "total")})),
    "logged": Object(schema_=_MACRO_OUT), "percent_of_target": Object(schema_=_MACRO_OUT),
})
ADHERENCE_OUT = Schema("Adherence", {
    "plan_id": Int(), "from": Date(), "to": Date(), "targets": Object(schema_=_MACRO_OUT),
    "planned": Object(schema_=_MACRO_OUT), "days": Array(items=_DAY, max_items=MAX_ADHERENCE_DAYS),
})


async def _plan(call: Call, plan_id: int) -> dict[str, Any]:
    plan = await call.db.fetch_one("nutrition.meal_entries.plan", plan_id=plan_id, **call.scope)
    if plan is None:
        raise not_found("meal plan", plan_id)
    return plan


def _check_date(day: dt.date, plan: dict[str, Any]) -> None:
    if day > latest_allowed_date():
        raise invalid(("body", "date"), "must not be in the future", "value_error.date.future")
    if day.isoformat() < plan["start_date"] or (plan["end_date"] and day.isoformat() > plan["end_date"]):
        raise invalid(("body", "date"), f"must be within the plan's dates ({plan['start_date']} to "
                      f"{plan['end_date'] or 'open'})", "value_error.date.range")


async def _check_photo(call: Call, filename: str | None, client_id: int) -> None:
    if filename is not None and await call.db.fetch_val(
            "nutrition.meal_entries.photo_file", filename=filename, client_id=client_id) is None:
        raise invalid(("body", "photo_file"), "is not a file of this client", "value_error.file")


async def create_entry(call: Call) -> Response:
    """Log what the client ate against their plan (the client only); it starts `pending`."""
    body, plan_id = call.body or {}, call.path_int("id")
    async with call.db.transaction():
        plan = await _plan(call, plan_id)
        if plan["client_id"] != call.user.id:
            raise forbidden("only the plan's client logs what they ate")
        _check_date(body["date"], plan)
        await _check_photo(call, body.get("photo_file"), plan["client_id"])
        entry = await call.db.fetch_one(
            "nutrition.meal_entries.insert", plan_id=plan_id, client_id=plan["client_id"], date=body["date"],
            meal_name=body["meal_name"], description=body.get("description"), photo_file=body.get("photo_file"),
            now=clock.now(), **{name: body.get(name) for name in MACROS})
        assert entry is not None
        await events.record(call, "meal_entry.created", entry, client_id=entry["client_id"])
    return created(entry)


async def list_entries(call: Call) -> Response:
    """A plan's entries, newest day first; `from`, `to` and `status` narrow them."""
    query, plan_id = call.query, call.path_int("id")
    plan = await _plan(call, plan_id)
    await access_log.note(call, plan["client_id"], "meal_entries.read")
    where = {"plan_id": plan_id, "date_from": query.get("from") or clock.EARLIEST,
             "date_to": query.get("to") or clock.LATEST,
             "status": query.get("status"), **call.scope}
    total = await call.db.fetch_val("nutrition.meal_entries.count", **where)
    rows = await call.db.fetch_all("nutrition.meal_entries.page", limit=query["limit"], offset=query["offset"], **where)
    return JSONResponse({"items": rows, "total": total, "limit": query["limit"], "offset": query["offset"]})


async def get_entry(call: Call) -> Response:
    """One meal entry of a plan."""
    plan_id, entry_id = call.path_int("id"), call.path_int("entry_id")
    entry = await call.db.fetch_one("nutrition.meal_entries.get", plan_id=plan_id, entry_id=entry_id, **call.scope)
    if entry is None:
        raise not_found("meal entry", entry_id)
    await access_log.note(call, entry["client_id"], "meal_entries.read")
    return JSONResponse(entry)


async def update_entry(call: Call) -> Response:
    """The client corrects their own entry while it is pending; a reviewed entry is a 409."""
    body, plan_id, entry_id = call.body or {}, call.path_int("id"), call.path_int("entry_id")
    async with call.db.transaction():
        current = await call.db.fetch_one("nutrition.meal_entries.lock", plan_id=plan_id, entry_id=entry_id,
                                          **call.scope)
        if current is None:
            raise not_found("meal entry", entry_id)
        if current["client_id"] != call.user.id:
            raise forbidden("only the client edits what they logged")
        if current["status"] != "pending":
            raise conflict(f"meal entry {entry_id} was {current['status']} by the trainer and can no longer change")
        merged = {key: body.get(key, current[key]) for key in ENTRY_FIELDS}
        if "date" in body:
            _check_date(body["date"], await _plan(call, plan_id))
        else:
            merged["date"] = dt.date.fromisoformat(current["date"])
        if "photo_file" in body:
            await _check_photo(call, body["photo_file"], current["client_id"])
        entry = await call.db.fetch_one("nutrition.meal_entries.update", plan_id=plan_id, entry_id=entry_id,
                                        caller_id=call.user.id, now=clock.now(), **merged)
    if entry is None:  # cannot happen under the row lock; kept so a changed query cannot turn into a silent 200
        raise conflict(f"meal entry {entry_id} can no longer change")
    return JSONResponse(entry)


async def review_entry(call: Call) -> Response:
    """Approve or reject an entry (the client's trainer, or an admin; never the client)."""
    body, plan_id, entry_id = call.body or {}, call.path_int("id"), call.path_int("entry_id")
    async with call.db.transaction():  # the review and the client's notification of it: together or not at all
        entry = await call.db.fetch_one("nutrition.meal_entries.review", plan_id=plan_id, entry_id=entry_id,
                                        status=body["status"], comment=body.get("comment"), now=clock.now(),
                                        **call.scope)
        if entry is None:
            raise not_found("meal entry", entry_id)
        await events.record(call, "meal_entry.reviewed", entry, client_id=entry["client_id"])
    await access_log.note(call, entry["client_id"], "meal_entries.change")
    return JSONResponse(entry)


def _percent(logged: float, target: float | None) -> float | None:
    return None if not target else round(logged / target * 100, 1)


async def adherence(call: Call) -> Response:
    """Per day from `from` to `to`: the entries by status, and the macros logged against the plan's targets."""
    plan = await fetch_plan(call, call.path_int("id"))
    await access_log.note(call, plan["client_id"], "meal_entries.read")
    start = call.query.get("from") or dt.date.fromisoformat(plan["start_date"])
    # By default up to today (or the plan's end), but never an empty range for a plan that starts in the future.
    end = call.query.get("to") or max(start, min(
        dt.date.fromisoformat(plan["end_date"] or clock.LATEST.isoformat()), clock.today()))
    if end < start:
        raise invalid(("query", "to"), "must not be before from", "value_error.date.order")
    if (end - start).days >= MAX_ADHERENCE_DAYS:
        raise invalid(("query", "to"), f"at most {MAX_ADHERENCE_DAYS} days at once", "value_error.date.range")
    rows = await call.db.fetch_all("nutrition.meal_entries.adherence", plan_id=plan["id"], date_from=start, date_to=end,
                                   **call.scope)
    by_day: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_day.setdefault(row["date"], []).append(row)
    days = []
    for offset in range((end - start).days + 1):
        day = (start + dt.timedelta(days=offset)).isoformat()
        groups = by_day.get(day, [])
        counts = {status: 0 for status in STATUSES}
        for group in groups:
            counts[group["status"]] = group["entries"]
        # Everything the client logged counts as eaten, whatever the review said about it.
        logged = macro_totals(groups)
        days.append({"date": day, "entries": {**counts, "total": sum(counts.values())}, "logged": logged,
                     "percent_of_target": {name: _percent(logged[name], plan["targets"][name]) for name in MACROS}})
    return JSONResponse({"plan_id": plan["id"], "from": start.isoformat(), "to": end.isoformat(),
                         "targets": plan["targets"], "planned": plan["totals"], "days": days})

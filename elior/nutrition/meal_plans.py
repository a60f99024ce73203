"""Meal plans: targets, meals and items stored as rows, with totals the server computes and never takes from a client.

A plan belongs to one client; their trainer or an admin creates and changes it, the client reads it. Totals are
summed in decimal from each item's stored numbers and rounded to 0.01, so 0.1 + 0.2 is 0.3, not 0.30000000000000004.
"""
from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Iterable

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.web.errors import invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, Int, Number, Object, Schema, Str

MACROS = ("kcal", "protein_g", "carbs_g", "fat_g")
CENT = Decimal("0.01")


def _macro_fields(required: bool, nullable: bool) -> dict[str, Number]:
    # The same bounds as the CHECK constraints of the tables, so a bad number is a 422, never a database error.
    return {"kcal": Number(required=required, nullable=nullable, minimum=0, maximum=20000),
            "protein_g": Number(required=required, nullable=nullable, minimum=0, maximum=2000),
            "carbs_g": Number(required=required, nullable=nullable, minimum=0, maximum=2000),
            "fat_g": Number(required=required, nullable=nullable, minimum=0, maximum=2000)}


TARGETS = Schema("MacroTargets", _macro_fields(required=False, nullable=True), "daily targets; null: none set")
ITEM_IN = Schema("MealItemInput", {
    "food": Str(required=True, min_length=1, max_length=200),
    "quantity_g": Number(required=True, minimum=0, maximum=10000),
    **_macro_fields(required=True, nullable=False),
})
MEAL_IN = Schema("MealInput", {
    "name": Str(required=True, min_length=1, max_length=100),
    "time": Str(nullable=True, pattern=r"([01]\d|2[0-3]):[0-5]\d", max_length=5, description="HH:MM"),
    "position": Int(minimum=0, maximum=1000, description="order in the day; default: order in the list"),
    "items": Array(items=ITEM_IN, max_items=100),
})
PLAN_CREATE = Schema("MealPlanCreate", {
    "client_id": Int(required=True, minimum=1),
    "title": Str(required=True, min_length=1, max_length=200),
    "notes": Str(nullable=True, max_length=5000),
    "start_date": Date(required=True),
    "end_date": Date(nullable=True, description="not before start_date; null: open-ended"),
    "targets": Object(schema_=TARGETS, nullable=True),
    "meals": Array(items=MEAL_IN, max_items=20),
}, "a plan; `totals` are computed by the server, and sending them is a 422")
PLAN_UPDATE = Schema("MealPlanUpdate", {k: v for k, v in PLAN_CREATE.partial("x").fields.items() if k != "client_id"},
                     "only the fields sent change; `meals`, when sent, replaces every meal")
LIST_QUERY = Schema("MealPlanListQuery", {"client_id": Int(minimum=1), **PAGE})

# Sums of many items: as large as the items make them, so no upper bound (the items' own bounds still hold).
TOTALS = Schema("MacroTotals", {name: Number(required=True, minimum=0) for name in ("kcal", "protein_g", "carbs_g",
                                                                                   "fat_g")}, "computed by the server")
ITEM_OUT = Schema("MealItem", {"food": ITEM_IN.fields["food"], "quantity_g": Number(), **_macro_fields(True, False)})
MEAL_OUT = Schema("Meal", {"name": MEAL_IN.fields["name"], "time": Str(nullable=True), "position": Int(),
                           "items": Array(items=ITEM_OUT), "totals": Object(schema_=TOTALS)})
PLAN_OUT = Schema("MealPlan", {
    "id": Int(), "client_id": Int(), "trainer_id": Int(nullable=True), "title": PLAN_CREATE.fields["title"],
    "notes": PLAN_CREATE.fields["notes"],
    "start_date": Date(), "end_date": Date(nullable=True), "targets": Object(schema_=TARGETS),
    "meals": Array(items=MEAL_OUT), "totals": Object(schema_=TOTALS), "created_at": Str(), "updated_at": Str(),
})
PLAN_LIST = Schema("MealPlanList", {"items": Array(items=PLAN_OUT), "total": Int(), "limit": Int(), "offset": Int()})


def macro_totals(rows: Iterable[dict[str, Any]]) -> dict[str, float]:
    """Sum each macro in decimal (from the shortest text of each float) and round half up to 0.01."""
    sums = {name: Decimal(0) for name in MACROS}
    for row in rows:
        for name in MACROS:
            if row.get(name) is not None:
                sums[name] += Decimal(repr(float(row[name])))
    return {name: float(value.quantize(CENT, ROUND_HALF_UP)) for name, value in sums.items()}


def plans_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of plan x meal x item (in order) to MealPlan objects with their computed totals."""
    plans: dict[int, dict[str, Any]] = {}
    meals: dict[int, dict[str, Any]] = {}
    for row in rows:
        plan = plans.get(row["id"])
        if plan is None:
            plan = plans[row["id"]] = {
                "id": row["id"], "client_id": row["client_id"], "trainer_id": row["trainer_id"],
                "title": row["title"], "notes": row["notes"], "start_date": row["start_date"],
                "end_date": row["end_date"], "targets": {name: row[f"target_{name}"] for name in MACROS},
                "meals": [], "created_at": row["created_at"], "updated_at": row["updated_at"]}
        if row["meal_id"] is None:
            continue
        meal = meals.get(row["meal_id"])
        if meal is None:
            meal = meals[row["meal_id"]] = {"name": row["meal_name"], "time": row["meal_time"],
                                             "position": row["meal_position"], "items": []}
            plan["meals"].append(meal)
        if row["food"] is not None:
            meal["items"].append({"food": row["food"], "quantity_g": row["quantity_g"],
                                  **{name: row[name] for name in MACROS}})
    for plan in plans.values():
        for meal in plan["meals"]:
            meal["totals"] = macro_totals(meal["items"])
        # The day's totals from every item at once, so rounding happens once, not once per meal.
        plan["totals"] = macro_totals(item for meal in plan["meals"] for item in meal["items"])
    return list(plans.values())


async def fetch_plan(call: Call, plan_id: int) -> dict[str, Any]:
    """One plan the caller may see, or 404."""
    plans = plans_from_rows(await call.db.fetch_all("nutrition.meal_plans.get", id=plan_id, **call.scope))
    if not plans:
        raise not_found("meal plan", plan_id)
    return plans[0]


def _check_dates(start: dt.date, end: dt.date | None) -> None:
    if end is not None and end < start:
        raise invalid(("body", "end_date"), "must not be before start_date", "value_error.date.order")


def _meal_rows(meals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Meals with their positions settled: as sent, or their order in the list; the same position twice is a 422."""
    seen: set[int] = set()
    settled = []
    for index, meal in enumerate(meals):
        position = meal.get("position", index)
        if position in seen:
            raise invalid(("body", "meals", index, "position"), "is used by another meal", "value_error.duplicate")
        seen.add(position)
        settled.append({**meal, "position": position})
    return settled


def _targets(body: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    if "targets" not in body:
        return {f"target_{name}": current.get(f"target_{name}") for name in MACROS}
    targets = body["targets"] or {}
    return {f"target_{name}": targets.get(name) for name in MACROS}


async def _write_meals(call: Call, plan_id: int, meals: list[dict[str, Any]]) -> None:
    for meal in meals:
        meal_id = await call.db.fetch_val("nutrition.meal_plans.insert_meal", plan_id=plan_id, name=meal["name"],
                                          time=meal.get("time"), position=meal["position"])
        await call.db.execute_many("nutrition.meal_plans.insert_item", [
            {"meal_id": meal_id, "position": position, "food": item["food"], "quantity_g": item["quantity_g"],
             **{name: item[name] for name in MACROS}}
            for position, item in enumerate(meal.get("items", []))])


async def list_plans(call: Call) -> Response:
    """Meal plans the caller may see, newest start first; `client_id` narrows to one client (404 if not visible)."""
    query = call.query
    client_id = query.get("client_id") or (call.user.id if call.user.role == "client" else None)
    page = {"limit": query["limit"], "offset": query["offset"], **call.scope}
    if client_id is None:
        total = await call.db.fetch_val("nutrition.meal_plans.count_visible", **call.scope)
        rows = await call.db.fetch_all("nutrition.meal_plans.page_visible", **page)
    else:
        if await call.db.fetch_one("nutrition.meal_plans.visible_client", client_id=client_id, **call.scope) is None:
            raise not_found("client", client_id)
        total = await call.db.fetch_val("nutrition.meal_plans.count", client_id=client_id, **call.scope)
        rows = await call.db.fetch_all("nutrition.meal_plans.page", client_id=client_id, **page)
    items = plans_from_rows(rows)
    if client_id is not None:  # one client's list, even an empty one, is a look at their plans
        await access_log.note(call, client_id, "meal_plans.read")
    else:
        await access_log.note_rows(call, items, "meal_plans.read")
    return JSONResponse({"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]})


async def create_plan(call: Call) -> Response:
    """Create a client's plan (their trainer, or an admin); `totals` come back computed."""
    body = call.body or {}
    _check_dates(body["start_date"], body.get("end_date"))
    meals = _meal_rows(body.get("meals", []))
    now = clock.now()
    async with call.db.transaction():
        client = await call.db.fetch_one("nutrition.meal_plans.visible_client", client_id=body["client_id"],
                                         **call.scope)
        if client is None:
            raise not_found("client", body["client_id"])
        plan_id = await call.db.fetch_val(
            "nutrition.meal_plans.insert", client_id=client["id"], trainer_id=client["trainer_id"], title=body["title"],
            notes=body.get("notes"), start_date=body["start_date"], end_date=body.get("end_date"), now=now,
            **_targets(body, {}))
        await _write_meals(call, plan_id, meals)
    await access_log.note(call, client["id"], "meal_plans.change")
    return created(await fetch_plan(call, plan_id))


async def get_plan(call: Call) -> Response:
    """One meal plan, with its meals, items and computed totals."""
    plan = await fetch_plan(call, call.path_int("id"))
    await access_log.note(call, plan["client_id"], "meal_plans.read")
    return JSONResponse(plan)


async def update_plan(call: Call) -> Response:
    """Change a plan (the client's trainer, or an admin); `meals`, when sent, replaces them all."""
    body, plan_id = call.body or {}, call.path_int("id")
    meals = _meal_rows(body["meals"]) if "meals" in body else None
    async with call.db.transaction():
        current = await call.db.fetch_one("nutrition.meal_plans.lock", id=plan_id, **call.scope)
        if current is None:
            raise not_found("meal plan", plan_id)
        start = body.get("start_date") or dt.date.fromisoformat(current["start_date"])
        end = body["end_date"] if "end_date" in body else (
            current["end_date"] and dt.date.fromisoformat(current["end_date"]))
        _check_dates(start, end)
        await call.db.execute(
            "nutrition.meal_plans.update", id=plan_id, title=body.get("title", current["title"]),
            notes=body["notes"] if "notes" in body else current["notes"], start_date=start, end_date=end,
            now=clock.now(), **_targets(body, current), **call.scope)
        if meals is not None:
            await call.db.execute("nutrition.meal_plans.delete_meals", plan_id=plan_id)
            await _write_meals(call, plan_id, meals)
    await access_log.note(call, current["client_id"], "meal_plans.change")
    return JSONResponse(await fetch_plan(call, plan_id))


async def delete_plan(call: Call) -> Response:
    """Delete a plan with its meals and the client's entries against it (the client's trainer, or an admin)."""
    plan_id = call.path_int("id")
    deleted = await call.db.fetch_one("nutrition.meal_plans.delete", id=plan_id, **call.scope)
    if deleted is None:
        raise not_found("meal plan", plan_id)
    await access_log.note(call, deleted["client_id"], "meal_plans.change")
    return no_content()

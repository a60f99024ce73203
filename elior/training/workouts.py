"""Workouts a trainer assigns: create, list, read, change, delete, copy. Logging what was lifted and the exercise
history are in `elior.training.logs`.

Who may do what is decided in SQL (sql/README.md): a workout outside the caller's scope is not found (404); a client
may read their own but the routes that change workouts are for trainers and admins only (403 whatever the id).
A workout's exercises are rows of workout_exercises, numbered from 1 in the order given.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import orjson
from starlette.responses import Response

from elior import clock
from elior.audit import access_log
from elior.live import events
from elior.training.exercises import check_exercises_exist, json_ids
from elior.web.errors import conflict, invalid, not_found
from elior.web.ordering import Ordering
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, Int, Number, Schema, Str

MAX_EXERCISES = 100  # per workout: a real session has a handful; far more is a mistake or an attack
STATUSES = ("planned", "completed", "skipped")
# `?order=` of the list; its ORDER BY is sql/shared/workout_order.sql, used by the three page_* statements.
WORKOUT_ORDER = Ordering("workout_order", ("scheduled_for", "created_at", "title", "status"), default="scheduled_for")

EXERCISE_ITEM = Schema("WorkoutExercise", {
    "exercise_id": Int(required=True, minimum=1),
    "position": Int(minimum=1, maximum=MAX_EXERCISES,
                    description="order in the workout; omitted: the order of the list. Renumbered 1..n"),
    "sets": Int(required=True, minimum=1, maximum=100),
    "reps": Int(nullable=True, minimum=0, maximum=1000),
    "weight_kg": Number(nullable=True, minimum=0, maximum=1000),
    "rest_seconds": Int(nullable=True, minimum=0, maximum=3600),
    "notes": Str(nullable=True, max_length=2000),
})
_EDITABLE = {
    "title": Str(required=True, min_length=1, max_length=200),
    "notes": Str(nullable=True, max_length=5000),
    "scheduled_for": Date(required=True),
    # "completed" is reached only by logging the workout (POST /api/workouts/{id}/log).
    "status": Str(enum=("planned", "skipped"), default="planned"),
    "exercises": Array(items=EXERCISE_ITEM, max_items=MAX_EXERCISES, default=()),
}
WORKOUT = Schema("WorkoutCreate", {"client_id": Int(required=True, minimum=1), **_EDITABLE})
WORKOUT_UPDATE = Schema("WorkoutCreateFields", _EDITABLE).partial("WorkoutUpdate")
COPY = Schema("WorkoutCopy", {
    "client_id": Int(minimum=1, description="one of the caller's clients; omitted: the same client"),
    "scheduled_for": Date(required=True),
})
EXERCISE_OUT = Schema("WorkoutExerciseOut", {
    "exercise_id": Int(), "exercise_name": Str(), "position": Int(), "sets": Int(), "reps": Int(nullable=True),
    "weight_kg": Number(nullable=True), "rest_seconds": Int(nullable=True), "notes": Str(nullable=True),
    # What a program's line prescribes (elior/programs); null on lines written by hand.
    "reps_min": Int(nullable=True), "reps_max": Int(nullable=True), "rpe": Number(nullable=True),
    "rir": Int(nullable=True), "tempo": Str(nullable=True), "set_type": Str(enum=("normal", "warmup", "drop", "amrap")),
    "superset_group": Str(nullable=True), "duration_seconds": Int(nullable=True), "distance_m": Number(nullable=True),
})
WORKOUT_OUT = Schema("Workout", {
    "id": Int(), "client_id": Int(), "trainer_id": Int(nullable=True), "title": Str(),
    "notes": Str(nullable=True, max_length=5000),
    "scheduled_for": Date(), "status": Str(enum=STATUSES), "exercises": Array(items=EXERCISE_OUT),
    "created_at": Str(), "updated_at": Str(), "completed_at": Str(nullable=True),
})
WORKOUT_PAGE = Schema("WorkoutPage", {"items": Array(items=WORKOUT_OUT), "total": Int(), "limit": Int(),
                                      "offset": Int()})
WORKOUT_QUERY = Schema("WorkoutQuery", {
    "client_id": Int(minimum=1),
    "status": Str(enum=STATUSES),
    "from": Date(description="scheduled on or after"),
    "to": Date(description="scheduled on or before"),
    "order": WORKOUT_ORDER.field(),
    **PAGE,
})
NOT_YOURS = "not found, or not one of the caller's clients"


async def with_exercises(call: Call, rows: list[dict[str, Any]], *, parsed: bool = True) -> list[dict[str, Any]]:
    """Attach each workout's exercises, fetched for all the rows in one statement.

    The database builds each exercise row's JSON (sql/shared/workout_exercise_fields.sql). A read that only answers
    them (`parsed=False`) embeds that text as it is, as an orjson.Fragment: on a page of 20 workouts of 5 rows that
    is ~100 us of CPU less than making and serialising 100 dicts of 18 keys (bench/profile_reads.py). A write, whose
    event and checks read the rows, gets them parsed.
    """
    if not rows:
        return rows
    by_workout: dict[int, list[str]] = {row["id"]: [] for row in rows}
    for item in await call.db.fetch_all("training.workouts.exercises_of", ids=json_ids(by_workout), **call.scope):
        by_workout[item["workout_id"]].append(item["exercise"])
    for row in rows:
        text = "[" + ",".join(by_workout[row["id"]]) + "]"
        row["exercises"] = orjson.loads(text) if parsed else orjson.Fragment(text)
    return rows


async def visible_workout(call: Call, workout_id: int, *, for_update: bool = False) -> dict[str, Any]:
    name = "training.workouts.get_for_update" if for_update else "training.workouts.get"
    row = await call.db.fetch_one(name, id=workout_id, **call.scope)
    if row is None:
        raise not_found("workout", workout_id)
    return row


def _numbered(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order by the given positions (the list's order where none is given) and number 1..n."""
    ranked = sorted(enumerate(items), key=lambda pair: (pair[1].get("position") or pair[0] + 1, pair[0]))
    positions = [item["position"] for item in items if item.get("position") is not None]
    if len(positions) != len(set(positions)):
        raise invalid(("body", "exercises"), "positions must be distinct", "value_error.duplicate_position")
    return [{**{key: item.get(key) for key in EXERCISE_ITEM.fields}, "position": number}
            for number, (_, item) in enumerate(ranked, start=1)]


async def _target_client(call: Call, client_id: int) -> dict[str, Any]:
    client = await call.db.fetch_one("training.workouts.target_client", client_id=client_id, **call.scope)
    if client is None:
        raise not_found("client", client_id)
    return client


async def _write_exercises(call: Call, workout_id: int, items: list[dict[str, Any]]) -> None:
    if items:
        await call.db.execute("training.workouts.insert_exercises", workout_id=workout_id,
                              rows=orjson.dumps(items).decode())


async def _page_total(call: Call, path: str, filters: dict[str, Any], rows: list[dict[str, Any]],
                      offset: int) -> int:
    """The list's `total`: each row of a page carries it (counted once in page_*.sql), taken off the rows here;
    a page without rows counts apart, unless it is the first (then nothing matched)."""
    for row in rows:
        total = row.pop("total")
    if rows:
        return total  # type: ignore[no-any-return]
    return await call.db.fetch_val(f"training.workouts.count_{path}", **filters) if offset else 0


async def list_workouts(call: Call) -> Response:
    """The workouts the caller may see: a client their own, a trainer their clients', an admin all."""
    query = call.query
    date_from, date_to = query.get("from") or clock.EARLIEST, query.get("to") or clock.LATEST
    if date_from > date_to:
        raise invalid(("query", "from"), "must not be after `to`", "value_error.date_range")
    client_id = query.get("client_id")
    if client_id is None and call.user.role == "client":
        client_id = call.user.id
    filters: dict[str, Any] = {"status": query.get("status"), "date_from": date_from, "date_to": date_to,
                               **call.scope}
    # Three statements, each searchable through its own index, rather than one whose ORs defeat the planner.
    if client_id is not None:
        path = "client"
        filters["client_id"] = client_id
    elif call.user.role == "trainer":
        path = "trainer"  # their clients, searched by trainer_id; the SQL still applies the visibility rule
        filters["trainer_id"] = call.user.id
    else:
        path = "all"  # an admin (the SQL also insists on the role): the caller's id plays no part
        del filters["caller_id"]
    rows = await call.db.fetch_all(f"training.workouts.page_{path}", **filters, sort=query["order"],
                                   limit=query["limit"], offset=query["offset"])
    total = await _page_total(call, path, filters, rows, query["offset"])
    items = await with_exercises(call, rows, parsed=False)
    await access_log.note_rows(call, items, "workouts.read")
    return JSONResponse({"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]})


async def create_workout(call: Call) -> Response:
    """Assign a workout to one of the caller's clients (an admin: any client)."""
    assert call.body is not None
    body = call.body
    items = _numbered(list(body["exercises"]))
    await check_exercises_exist(call, [item["exercise_id"] for item in body["exercises"]], "exercises")
    async with call.db.transaction():
        client = await _target_client(call, body["client_id"])
        row = await call.db.fetch_one("training.workouts.insert", client_id=client["id"],
                                      trainer_id=client["trainer_id"], title=body["title"], notes=body.get("notes"),
                                      scheduled_for=body["scheduled_for"], status=body["status"], now=clock.now())
        assert row is not None
        await _write_exercises(call, row["id"], items)
        (workout,) = await with_exercises(call, [row])
        await events.record(call, "workout.created", workout, client_id=workout["client_id"])
    await access_log.note(call, workout["client_id"], "workouts.change")
    return created(workout)


async def get_workout(call: Call) -> Response:
    """One workout with its exercises in order: one statement, whose `exercises` JSON is embedded as it is."""
    workout_id = call.path_int("id")
    workout = await call.db.fetch_one("training.workouts.get_with_exercises", id=workout_id, **call.scope)
    if workout is None:
        raise not_found("workout", workout_id)
    workout["exercises"] = orjson.Fragment(workout["exercises"])
    await access_log.note(call, workout["client_id"], "workouts.read")
    return JSONResponse(workout)


async def update_workout(call: Call) -> Response:
    """Change a workout: the fields sent change; `exercises`, when sent, replaces the whole list."""
    assert call.body is not None
    body, workout_id = call.body, call.path_int("id")
    items = _numbered(list(body["exercises"])) if "exercises" in body else None
    if items is not None:
        await check_exercises_exist(call, [item["exercise_id"] for item in body["exercises"]], "exercises")
    async with call.db.transaction():
        current = await visible_workout(call, workout_id, for_update=True)
        if "status" in body and current["status"] == "completed" and body["status"] != "completed":
            raise conflict(f"workout {workout_id} has been logged; its status stays completed")
        values = {key: body.get(key, current[key]) for key in ("title", "notes", "scheduled_for", "status")}
        if "scheduled_for" not in body:
            values["scheduled_for"] = dt.date.fromisoformat(current["scheduled_for"])
        row = await call.db.fetch_one("training.workouts.update", id=workout_id, **values, now=clock.now(),
                                      **call.scope)
        if row is None:
            raise not_found("workout", workout_id)
        if items is not None:
            await call.db.execute("training.workouts.delete_exercises", workout_id=workout_id, **call.scope)
            await _write_exercises(call, workout_id, items)
        (workout,) = await with_exercises(call, [row])
        await events.record(call, "workout.updated", workout, client_id=workout["client_id"])
    await access_log.note(call, workout["client_id"], "workouts.change")
    return JSONResponse(workout)


async def delete_workout(call: Call) -> Response:
    """Remove a planned or skipped workout; a logged one is the client's history and answers 409."""
    workout_id = call.path_int("id")
    async with call.db.transaction():
        current = await visible_workout(call, workout_id, for_update=True)
        if current["status"] == "completed":
            raise conflict(f"workout {workout_id} has been logged; its log is the client's history")
        if await call.db.fetch_one("training.workouts.delete", id=workout_id, **call.scope) is None:
            raise not_found("workout", workout_id)
    await access_log.note(call, current["client_id"], "workouts.change")
    return no_content()


async def copy_workout(call: Call) -> Response:
    """Copy a workout and its exercises to another date, and to another of the caller's clients if named."""
    assert call.body is not None
    source_id = call.path_int("id")
    async with call.db.transaction():
        source = await visible_workout(call, source_id)
        client = await _target_client(call, call.body.get("client_id") or source["client_id"])
        row = await call.db.fetch_one("training.workouts.insert", client_id=client["id"],
                                      trainer_id=client["trainer_id"], title=source["title"], notes=source["notes"],
                                      scheduled_for=call.body["scheduled_for"], status="planned", now=clock.now())
        assert row is not None
        await call.db.execute("training.workouts.copy_exercises", workout_id=row["id"], source_id=source_id)
        (workout,) = await with_exercises(call, [row])
        await events.record(call, "workout.created", workout, client_id=workout["client_id"])
    await access_log.note(call, workout["client_id"], "workouts.change")
    return created(workout)

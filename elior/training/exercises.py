"""The studio's exercise library: every signed-in user reads it; trainers and admins add to it; the creator or an
admin changes or deletes an exercise, and one that a workout or a logged set still uses cannot be deleted (409)."""
from __future__ import annotations

from typing import Any, Iterable

import orjson
from starlette.responses import Response

from elior import clock
from elior.ops import metrics
from elior.ops.cache import TTLCache
from elior.web.errors import ValidationError, conflict, forbidden, not_found
from elior.web.ordering import Ordering
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Int, Schema, Str
from elior.web.search import contains

# `?order=` of the library; its ORDER BY is sql/shared/exercise_order.sql.
EXERCISE_ORDER = Ordering("exercise_order", ("name", "created_at"), default="name")

EXERCISE = Schema("ExerciseCreate", {
    "name": Str(required=True, min_length=1, max_length=200),
    "description": Str(nullable=True, max_length=5000),
    # Stored lower-case so that the filters match "Chest" and "chest" alike through a plain index.
    "muscle_group": Str(nullable=True, max_length=50, description="stored lower-case"),
    "equipment": Str(nullable=True, max_length=50, description="stored lower-case"),
    "instructions": Str(nullable=True, max_length=10000),
    "video_url": Str(nullable=True, max_length=2000, pattern=r"https?://[^\s<>\"']+"),
})
EXERCISE_UPDATE = EXERCISE.partial("ExerciseUpdate")
# The answer has the input's fields with the input's limits (a looser answer schema would be a lie the other way).
EXERCISE_OUT = Schema("Exercise", {
    "id": Int(), **EXERCISE.fields, "created_by": Int(nullable=True), "created_at": Str(), "updated_at": Str(),
})
EXERCISE_PAGE = Schema("ExercisePage", {"items": Array(items=EXERCISE_OUT), "total": Int(), "limit": Int(),
                                        "offset": Int()})
EXERCISE_QUERY = Schema("ExerciseQuery", {
    "q": Str(max_length=200, description="part of the name, any case"),
    "muscle_group": Str(max_length=50),
    "equipment": Str(max_length=50),
    "order": EXERCISE_ORDER.field(),
    **PAGE,
})
FIELDS = ("name", "description", "muscle_group", "equipment", "instructions", "video_url")


def json_ids(ids: Iterable[int]) -> str:
    """A list of ids as one JSON text parameter: the SQL expands it (json_each / jsonb), so one statement suffices."""
    return orjson.dumps(sorted(set(ids))).decode()


async def check_exercises_exist(call: Call, ids: list[int], field: str) -> None:
    """422 naming every index of `body.<field>` whose exercise_id does not exist; one query whatever the count."""
    if not ids:
        return
    found = {row["id"] for row in await call.db.fetch_all("training.exercises.existing", ids=json_ids(ids))}
    problems = [{"loc": ["body", field, index, "exercise_id"], "msg": f"exercise {ident} does not exist",
                 "type": "value_error.unknown_exercise"}
                for index, ident in enumerate(ids) if ident not in found]
    if problems:
        raise ValidationError(problems)


def _normalised(body: dict[str, Any]) -> dict[str, Any]:
    for key in ("muscle_group", "equipment"):
        if body.get(key):
            body[key] = body[key].lower()
        elif key in body:
            body[key] = None  # an empty filter value would never match; store "none given"
    return body


EXERCISE_TTL_SECONDS = 30.0


def library_cache(call: Call) -> TTLCache[dict[str, Any]]:
    """The library's answers, per app (a test's fresh database must not see another's): lists keyed by the validated
    query, single exercises by id. They do not depend on the caller. Every create, update and delete clears it; other
    processes see a change within EXERCISE_TTL_SECONDS."""
    state = call.request.app.state
    cache: TTLCache[dict[str, Any]] | None = getattr(state, "exercise_cache", None)
    if cache is None:
        cache = state.exercise_cache = TTLCache(EXERCISE_TTL_SECONDS * state.settings.cache_ttl_scale, max_size=5_000)
        metrics.register_cache("exercises", cache)
    return cache


def _forget_library(call: Call) -> None:
    library_cache(call).clear()


async def list_exercises(call: Call) -> Response:
    """The library, filtered by name (`q`, anywhere in it), muscle group and equipment."""
    query = call.query
    cache = library_cache(call)
    key = ("list", tuple(sorted(query.items())))
    answer = cache.get(key)
    if answer is None:
        generation = cache.generation
        answer = await _library_page(call, query)
        cache.set_unless_cleared(key, answer, generation)
    return JSONResponse(answer)


async def _library_page(call: Call, query: dict[str, Any]) -> dict[str, Any]:
    filters = {
        "pattern": contains(query["q"]) if query.get("q") else None,
        "muscle_group": query["muscle_group"].lower() if query.get("muscle_group") else None,
        "equipment": query["equipment"].lower() if query.get("equipment") else None,
    }
    total = await call.db.fetch_val("training.exercises.count", **filters)
    items = await call.db.fetch_all("training.exercises.page", **filters, sort=query["order"],
                                    limit=query["limit"], offset=query["offset"])
    return {"items": items, "total": total, "limit": query["limit"], "offset": query["offset"]}


async def create_exercise(call: Call) -> Response:
    """Add an exercise to the studio library (its creator is the caller)."""
    assert call.body is not None
    body = _normalised({key: call.body.get(key) for key in FIELDS})
    row = await call.db.fetch_one("training.exercises.insert", **body, created_by=call.user.id, now=clock.now())
    _forget_library(call)
    return created(row)


async def _visible(call: Call, exercise_id: int) -> dict[str, Any]:
    row = await call.db.fetch_one("training.exercises.get", id=exercise_id, **call.scope)
    if row is None:
        raise not_found("exercise", exercise_id)
    return row


async def get_exercise(call: Call) -> Response:
    """One exercise of the library."""
    exercise_id = call.path_int("id")
    cache = library_cache(call)
    row = cache.get(("get", exercise_id))
    if row is None:  # a 404 is not cached: an exercise created a moment ago is found at once
        generation = cache.generation
        row = await _visible(call, exercise_id)
        row.pop("can_change")  # the one caller-dependent field; what remains is the same for everyone
        cache.set_unless_cleared(("get", exercise_id), row, generation)
    return JSONResponse(row)


async def update_exercise(call: Call) -> Response:
    """Change an exercise: its creator or an admin (another trainer: 403). Only the fields sent change."""
    assert call.body is not None
    exercise_id = call.path_int("id")
    current = await _visible(call, exercise_id)
    if not current["can_change"]:
        raise forbidden(f"only the trainer who created exercise {exercise_id}, or an admin, may change it")
    values = {key: current[key] for key in FIELDS}
    values.update(_normalised(dict(call.body)))
    row = await call.db.fetch_one("training.exercises.update", id=exercise_id, **values, now=clock.now(), **call.scope)
    _forget_library(call)
    if row is None:  # deleted (or its creator changed) between the read and the write
        raise not_found("exercise", exercise_id)
    return JSONResponse(row)


async def delete_exercise(call: Call) -> Response:
    """Remove an exercise nothing uses: its creator or an admin; used by a workout or a logged set: 409."""
    exercise_id = call.path_int("id")
    current = await _visible(call, exercise_id)
    if not current["can_change"]:
        raise forbidden(f"only the trainer who created exercise {exercise_id}, or an admin, may delete it")
    if await call.db.fetch_one("training.exercises.delete", id=exercise_id, **call.scope) is None:
        usage = await call.db.fetch_one("training.exercises.usage", id=exercise_id) or {}
        if usage.get("workouts") or usage.get("sets") or usage.get("program_lines"):
            raise conflict(f"exercise {exercise_id} is used by {usage['workouts']} workout exercise(s), "
                           f"{usage['sets']} logged set(s) and {usage['program_lines']} program line(s); "
                           "remove it from those first")
        raise not_found("exercise", exercise_id)
    _forget_library(call)
    return no_content()

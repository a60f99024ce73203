"""What the client actually lifted: one log per workout (by the client or their trainer), its sets kept beside what was
prescribed, and the per-exercise history that charts read (best set, volume, Epley e1RM, personal records)."""
from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.live import events
from elior.training.exercises import check_exercises_exist
from elior.training.workouts import visible_workout, with_exercises
from elior.web.errors import ValidationError, conflict, invalid, not_found
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call
from elior.web.schema import Array, Date, DateTime, Int, Number, Object, Schema, Str

MAX_SETS = 1000  # per log: 100 exercises of 10 sets is already far beyond a real session

SET = Schema("SetLog", {
    "exercise_id": Int(required=True, minimum=1),
    "set_number": Int(required=True, minimum=1, maximum=100),
    "reps": Int(required=True, minimum=0, maximum=1000),
    "weight_kg": Number(nullable=True, minimum=0, maximum=1000),
    "rpe": Number(nullable=True, minimum=1, maximum=10),
})
LOG = Schema("WorkoutLogCreate", {
    "performed_at": DateTime(not_future=True, description="when it was done; omitted: now"),
    "duration_minutes": Int(nullable=True, minimum=0, maximum=1440),
    "rating": Int(nullable=True, minimum=1, maximum=5),
    "notes": Str(nullable=True, max_length=5000),
    "sets": Array(items=SET, max_items=MAX_SETS, default=()),
})
SET_OUT = Schema("SetLogOut", {
    "exercise_id": Int(), "exercise_name": Str(), "set_number": Int(), "reps": Int(),
    "weight_kg": Number(nullable=True), "rpe": Number(nullable=True),
    "prescribed_reps": Int(nullable=True, description="what the workout prescribed for this set"),
    "prescribed_weight_kg": Number(nullable=True),
})
LOG_OUT = Schema("WorkoutLog", {
    "id": Int(), "workout_id": Int(), "client_id": Int(), "logged_by": Int(nullable=True), "performed_at": Str(),
    "duration_minutes": Int(nullable=True), "rating": Int(nullable=True),
    "notes": Str(nullable=True, max_length=5000), "created_at": Str(), "sets": Array(items=SET_OUT, max_items=MAX_SETS),
})
HISTORY_QUERY = Schema("ExerciseHistoryQuery", {
    "client_id": Int(minimum=1, description="required for trainers and admins; a client's default is themself"),
    "from": Date(description="sessions performed on or after"),
    "to": Date(description="sessions performed on or before"),
    "limit": Int(minimum=1, maximum=1000, default=50, description="the most recent sessions to return"),
})
BEST_SET = Schema("BestSet", {"set_number": Int(), "reps": Int(), "weight_kg": Number(nullable=True),
                              "e1rm_kg": Number(nullable=True)})
SESSION = Schema("ExerciseSession", {
    "log_id": Int(), "workout_id": Int(), "performed_at": Str(), "sets": Int(), "reps": Int(),
    "volume_kg": Number(description="sum of reps x weight"), "heaviest_kg": Number(nullable=True),
    "e1rm_kg": Number(nullable=True, description="Epley: weight x (1 + reps / 30) of the best set"),
    "best_set": Object(schema_=BEST_SET),
})
RECORD = Schema("PersonalRecord", {"value": Number(), "performed_at": Str(), "workout_id": Int(), "log_id": Int()},
                description="the first session that reached the best value; null before any")
RECORDS = ("e1rm_kg", "heaviest_kg", "most_reps", "volume_kg")
HISTORY_OUT = Schema("ExerciseHistory", {
    "exercise_id": Int(), "exercise_name": Str(), "client_id": Int(), "sessions": Array(items=SESSION, max_items=1000),
    "records": Object(schema_=Schema("PersonalRecords", {name: Object(schema_=RECORD, nullable=True)
                                                         for name in RECORDS})),
})


def _prescriptions(exercises: list[dict[str, Any]]) -> dict[int, list[tuple[Any, Any]]]:
    """Per exercise, the prescribed (reps, weight) of set 1, 2, ... across its rows in workout order, so that an
    exercise listed twice (heavy, then light) prescribes its later sets from its later row."""
    prescribed: dict[int, list[tuple[Any, Any]]] = {}
    for item in exercises:
        prescribed.setdefault(item["exercise_id"], []).extend([(item["reps"], item["weight_kg"])] * item["sets"])
    return prescribed


def _set_rows(sets: list[dict[str, Any]], exercises: list[dict[str, Any]]) -> list[dict[str, Any]]:
    prescribed = _prescriptions(exercises)
    seen: dict[tuple[int, int], int] = {}
    problems = []
    rows = []
    for index, item in enumerate(sets):
        key = (item["exercise_id"], item["set_number"])
        if key in seen:
            problems.append({"loc": ["body", "sets", index, "set_number"],
                             "msg": f"repeats set {key[1]} of exercise {key[0]} (first at index {seen[key]})",
                             "type": "value_error.duplicate_set"})
        seen.setdefault(key, index)
        plan = prescribed.get(item["exercise_id"], [])
        reps, weight = plan[item["set_number"] - 1] if item["set_number"] <= len(plan) else (None, None)
        rows.append({**{key: item.get(key) for key in SET.fields}, "prescribed_reps": reps,
                     "prescribed_weight_kg": weight})
    if problems:
        raise ValidationError(problems)
    return rows


async def create_log(call: Call) -> Response:
    """Log what was done (the client, or their trainer): the workout becomes completed; a second log is a 409."""
    assert call.body is not None
    body, workout_id = call.body, call.path_int("id")
    sets = list(body["sets"])
    await check_exercises_exist(call, [item["exercise_id"] for item in sets], "sets")
    now = clock.now()
    performed_at = body.get("performed_at") or now
    async with call.db.transaction():
        workout = await visible_workout(call, workout_id, for_update=True)
        if workout["status"] == "completed":
            raise conflict(f"workout {workout_id} has already been logged")
        (workout,) = await with_exercises(call, [workout])
        rows = _set_rows(sets, workout["exercises"])
        log = await call.db.fetch_one("training.workouts.insert_log", workout_id=workout_id,
                                      client_id=workout["client_id"],
                                      logged_by=call.user.id, performed_at=performed_at,
                                      duration_minutes=body.get("duration_minutes"), rating=body.get("rating"),
                                      notes=body.get("notes"), now=now)
        if log is None:  # another log won the race for the UNIQUE workout_id
            raise conflict(f"workout {workout_id} has already been logged")
        if rows:
            await call.db.execute("training.workouts.insert_sets", log_id=log["id"], client_id=workout["client_id"],
                                  rows=orjson.dumps(rows).decode())
        completed = await call.db.fetch_one("training.workouts.complete", id=workout_id, completed_at=performed_at,
                                            now=now, **call.scope)
        assert completed is not None
        log["sets"] = await call.db.fetch_all("training.workouts.log_sets", log_id=log["id"], **call.scope)
        completed["exercises"] = workout["exercises"]
        await events.record(call, "workout.completed", {**completed, "log_id": log["id"]},
                            client_id=completed["client_id"])
    await access_log.note(call, workout["client_id"], "workout_logs.change")
    return created(log)


async def get_log(call: Call) -> Response:
    """The log of a workout the caller may see; 404 before it is logged."""
    workout_id = call.path_int("id")
    log = await call.db.fetch_one("training.workouts.get_log", workout_id=workout_id, **call.scope)
    if log is None:
        await visible_workout(call, workout_id)  # 404 for the workout itself when that is what is missing
        raise not_found("log of workout", workout_id)
    log["sets"] = await call.db.fetch_all("training.workouts.log_sets", log_id=log["id"], **call.scope)
    await access_log.note(call, log["client_id"], "workout_logs.read")
    return JSONResponse(log)


def _round(value: Any) -> Any:
    return None if value is None else round(float(value), 2)


def _session(row: dict[str, Any]) -> dict[str, Any]:
    best = {"set_number": row["best_set_number"], "reps": row["best_reps"], "weight_kg": row["best_weight_kg"],
            "e1rm_kg": None}
    if best["weight_kg"] is not None and best["reps"]:
        best["e1rm_kg"] = _round(best["weight_kg"] * (1 + best["reps"] / 30))
    return {"log_id": row["log_id"], "workout_id": row["workout_id"], "performed_at": row["performed_at"],
            "sets": row["sets"], "reps": row["reps"], "volume_kg": _round(row["volume_kg"]) or 0.0,
            "heaviest_kg": row["heaviest_kg"], "e1rm_kg": _round(row["e1rm_kg"]), "best_set": best}


def _records(sessions: list[dict[str, Any]], raw: list[dict[str, Any]]) -> dict[str, Any]:
    """Personal records over every session; a tie keeps the first session that reached it."""
    records: dict[str, Any] = dict.fromkeys(RECORDS)
    for session, row in zip(sessions, raw):
        values = {"e1rm_kg": session["e1rm_kg"], "heaviest_kg": row["heaviest_kg"], "most_reps": row["most_reps"],
                  "volume_kg": session["volume_kg"] or None}
        for name, value in values.items():
            if value is not None and (records[name] is None or value > records[name]["value"]):
                records[name] = {"value": value, "performed_at": session["performed_at"],
                                 "workout_id": session["workout_id"], "log_id": session["log_id"]}
    return records


async def exercise_history(call: Call) -> Response:
    """Per logged session of one exercise by one client: best set, volume, e1RM; and the client's records."""
    exercise_id, query = call.path_int("id"), call.query
    client_id = query.get("client_id")
    if client_id is None:
        if call.user.role != "client":
            raise invalid(("query", "client_id"), "is required: whose history?", "value_error.missing")
        client_id = call.user.id
    target = await call.db.fetch_one("training.exercises.history_target", exercise_id=exercise_id, client_id=client_id,
                                     **call.scope)
    if target is None:
        raise not_found("exercise", exercise_id)
    if target["client_id"] is None:
        raise not_found("client", client_id)
    raw = await call.db.fetch_all("training.exercises.history_sessions", exercise_id=exercise_id, client_id=client_id,
                                  **call.scope)
    await access_log.note(call, client_id, "exercise_history.read")
    sessions = [_session(row) for row in raw]
    records = _records(sessions, raw)
    first = query["from"].isoformat() if query.get("from") else ""
    # Compared by date, so `to=9999-12-31` needs no day after it (which the calendar does not have).
    last = query["to"].isoformat() if query.get("to") else "~"
    chosen = [s for s in sessions if first <= s["performed_at"] and s["performed_at"][:10] <= last][-query["limit"]:]
    return JSONResponse({"exercise_id": exercise_id, "exercise_name": target["name"], "client_id": client_id,
                         "sessions": chosen, "records": records})

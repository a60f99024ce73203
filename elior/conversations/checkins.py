"""Check-ins: the client answers the period under way once (a second time is a 409), the trainer reviews and replies,
and the scale and number answers are charted over time (`series` of `GET /api/check-ins?client_id=`).

An answer's `value` follows its question: a whole number 1-10 (scale), a number (number), text, true/false (yes_no),
or the filename of the client's own upload (photo); null, or a question left out, skips it.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.conversations import checkin_schedules
from elior.live import events
from elior.web.errors import ApiError, conflict, forbidden, invalid, not_found
from elior.web.fields import Field, Problem
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Date, DateTime, Int, Number, Object, Schema, Str

MAX_TEXT = 4000


@dataclass(frozen=True, kw_only=True)
class Scalar(Field):
    """A JSON string, number or boolean: what an answer is depends on its question, checked by the endpoint."""

    def clean(self, value: Any, coerce: bool) -> Any:
        if isinstance(value, bool) or (isinstance(value, (int, float)) and math.isfinite(value)):
            return value
        if isinstance(value, str) and len(value) <= MAX_TEXT and "\x00" not in value:
            return value
        raise Problem(f"must be a number, true/false, or text of at most {MAX_TEXT} characters", "type_error.scalar")

    def schema(self) -> dict[str, Any]:
        return {"type": ["string", "number", "boolean"]}


ANSWER = Schema("CheckInAnswerIn", {"question_id": Int(required=True, minimum=1),
                                    "value": Scalar(required=True, nullable=True)})
CHECK_IN_CREATE = Schema("CheckInCreate", {"answers": Array(items=ANSWER, max_items=50)},
                         "the answers for the period under way")
REPLY = Schema("CheckInReply", {"reply": Str(required=True, min_length=1, max_length=MAX_TEXT)})
ANSWER_OUT = Schema("CheckInAnswer", {
    "question_id": Int(), "kind": Str(), "prompt": Str(), "unit": Str(nullable=True),
    "value": Scalar(nullable=True, description="as the question asks: number, true/false, text or a filename"),
})
CHECK_IN = Schema("CheckIn", {
    "id": Int(), "client_id": Int(), "template_id": Int(), "title": Str(), "period_start": Date(),
    "submitted_at": DateTime(), "answers": Array(items=ANSWER_OUT, max_items=50),
    "reply": Str(nullable=True, max_length=MAX_TEXT),
    "replied_by": Int(nullable=True), "replied_at": DateTime(nullable=True),
})
POINT = Schema("CheckInPoint", {"period_start": Date(), "value": Number()})
SERIES = Schema("CheckInSeries", {"question_id": Int(), "prompt": Str(), "kind": Str(), "unit": Str(nullable=True),
                                  "points": Array(items=POINT, max_items=10_000)})
CHECK_IN_LIST = Schema("CheckInList", {
    "items": Array(items=CHECK_IN, description="newest period first"), "total": Int(), "limit": Int(),
    "offset": Int(), "series": Array(items=SERIES, description="scale and number answers over time, per question"),
    "current": Object(schema_=checkin_schedules.PERIOD, nullable=True,
                      description="the period under way of the client's schedule; null without one"),
})
LIST_QUERY = Schema("CheckInQuery", {"client_id": Int(minimum=1, description="required for trainers and admins"),
                                     **PAGE})


def _value(row: dict[str, Any]) -> Any:
    kind = row["kind"]
    if kind == "yes_no":
        return None if row["value_number"] is None else bool(row["value_number"])
    if kind == "scale":
        return None if row["value_number"] is None else int(row["value_number"])
    if kind == "number":
        return row["value_number"]
    return row["photo_file"] if kind == "photo" else row["value_text"]


def check_ins_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        item = found.get(row["id"])
        if item is None:
            item = found[row["id"]] = {key: row[key] for key in CHECK_IN.fields if key != "answers"}
            item["answers"] = []
        if row["question_id"] is not None:
            item["answers"].append({"question_id": row["question_id"], "kind": row["kind"], "prompt": row["prompt"],
                                    "unit": row["unit"], "value": _value(row)})
    return list(found.values())


async def fetch_check_in(call: Call, check_in_id: int) -> dict[str, Any]:
    rows = await call.db.fetch_all("conversations.checkins.get", id=check_in_id, **call.scope)
    if not rows:
        raise not_found("check-in", check_in_id)
    return check_ins_from_rows(rows)[0]


async def _answer_row(call: Call, question: dict[str, Any], value: Any, loc: tuple[Any, ...]) -> dict[str, Any]:
    """One answer as stored, or a 422 at `loc` saying what its question wants."""
    kind, row = question["kind"], {"value_number": None, "value_text": None, "photo_file": None}
    if kind == "scale":
        whole = isinstance(value, (int, float)) and not isinstance(value, bool) and value == int(value)
        if not whole or not 1 <= value <= 10:
            raise invalid(loc, "must be a whole number from 1 to 10", "value_error.scale")
        row["value_number"] = int(value)
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or abs(value) > 1e9:
            raise invalid(loc, "must be a number", "type_error.number")
        row["value_number"] = float(value)
    elif kind == "yes_no":
        if not isinstance(value, bool):
            raise invalid(loc, "must be true or false", "type_error.bool")
        row["value_number"] = 1 if value else 0
    elif not isinstance(value, str):
        raise invalid(loc, "must be text", "type_error.str")
    elif kind == "photo":
        if await call.db.fetch_val("conversations.checkins.photo_file", filename=value, client_id=call.user.id) is None:
            raise invalid(loc, "is not a file you uploaded", "value_error.file")
        row["photo_file"] = value
    else:
        row["value_text"] = value
    return row


async def submit_check_in(call: Call) -> Response:
    """The client answers the check-in of the period under way, once (409 the second time, or with none due)."""
    answers, client_id = (call.body or {}).get("answers", []), call.user.id
    schedule = await checkin_schedules.fetch_schedule(call, client_id)
    current = schedule["current"]
    if current is None:
        raise conflict(f"no check-in is due yet: the first period begins on {schedule['next_period_start']}")
    if current["check_in_id"] is not None:
        raise conflict(f"this period's check-in (from {current['period_start']}) is answered already")
    questions = {q["id"]: q for q in schedule["questions"]}
    rows, seen = [], set()
    for index, answer in enumerate(answers):
        loc = ("body", "answers", index)
        question = questions.get(answer["question_id"])
        if question is None:
            raise invalid((*loc, "question_id"), "is not a question of this check-in", "value_error.question")
        if answer["question_id"] in seen:
            raise invalid((*loc, "question_id"), "is answered twice", "value_error.duplicate")
        seen.add(answer["question_id"])
        if answer["value"] is not None:
            rows.append({"question_id": question["id"],
                         **await _answer_row(call, question, answer["value"], (*loc, "value"))})
    async with call.db.transaction():
        check_in_id = await call.db.fetch_val(
            "conversations.checkins.insert", client_id=client_id,
            period_start=dt.date.fromisoformat(current["period_start"]), now=clock.now(), **call.scope)
        if check_in_id is None:  # a second answer raced the first
            raise conflict(f"this period's check-in (from {current['period_start']}) is answered already")
        await call.db.execute_many("conversations.checkins.insert_answers",
                                   [{"check_in_id": check_in_id, **row} for row in rows])
        check_in = await fetch_check_in(call, check_in_id)
        await events.record(call, "check_in.submitted", check_in, client_id=client_id)  # commits with the answers
    return created(check_in)


async def visible_client(call: Call, client_id: int | None) -> int:
    if client_id is None:
        if call.user.role != "client":
            raise invalid(("query", "client_id"), "is required for trainers and admins", "value_error.missing")
        return call.user.id
    if await call.db.fetch_one("conversations.threads.visible", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    return client_id


async def list_check_ins(call: Call) -> Response:
    """A client's check-ins, newest first, with the series of their scale and number answers and the period under
    way."""
    client_id = await visible_client(call, call.query.get("client_id"))
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    where = {"client_id": client_id, **call.scope}
    rows = await call.db.fetch_all("conversations.checkins.page", **where, **page)
    total = await call.db.fetch_val("conversations.checkins.count", **where)
    series: dict[int, dict[str, Any]] = {}
    for row in await call.db.fetch_all("conversations.checkins.series", **where):
        line = series.setdefault(row["question_id"], {"question_id": row["question_id"], "prompt": row["prompt"],
                                                      "kind": row["kind"], "unit": row["unit"], "points": []})
        line["points"].append({"period_start": row["period_start"], "value": row["value_number"]})
    try:
        current = (await checkin_schedules.fetch_schedule(call, client_id))["current"]
    except ApiError as error:  # no schedule: nothing is due
        if error.status_code != 404:
            raise
        current = None
    await access_log.note(call, client_id, "check_ins.read")
    return JSONResponse({"items": check_ins_from_rows(rows), "total": int(total), **page,
                         "series": list(series.values()), "current": current})


async def get_check_in(call: Call) -> Response:
    """One check-in with its answers and the trainer's reply."""
    check_in = await fetch_check_in(call, call.path_int("id"))
    await access_log.note(call, check_in["client_id"], "check_ins.read")
    return JSONResponse(check_in)


async def reply_check_in(call: Call) -> Response:
    """The client's trainer (or an admin) reviews a check-in and replies; replying again replaces the reply."""
    check_in_id = call.path_int("id")
    async with call.db.transaction():  # the reply and its event commit together
        row = await call.db.fetch_one("conversations.checkins.reply", id=check_in_id,
                                      reply=(call.body or {})["reply"], now=clock.now(), caller_id=call.user.id,
                                      caller_role=call.user.role)
        if row is None:
            await fetch_check_in(call, check_in_id)  # 404 when not visible at all
            raise forbidden("only the client's trainer or an admin replies to a check-in")
        check_in = await fetch_check_in(call, check_in_id)
        await events.record(call, "check_in.replied", check_in, client_id=row["client_id"])
    await access_log.note(call, row["client_id"], "check_ins.change")
    return JSONResponse(check_in)

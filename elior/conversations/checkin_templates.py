"""Check-in templates: a trainer's form of questions, each a scale of 1 to 10, a number with a unit, text, yes/no or a
photo. A template belongs to the trainer who made it (admins see every one); it can be deleted only while no
schedule and no answered check-in uses it (409), because answers and their charts refer to its questions.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.web.errors import conflict, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Schema, Str

KINDS = ("scale", "number", "text", "yes_no", "photo")
MAX_QUESTIONS = 50

QUESTION = Schema("CheckInQuestion", {
    "kind": Str(required=True, enum=KINDS, description="scale: 1-10; number: with a unit; text; yes_no; photo"),
    "prompt": Str(required=True, min_length=1, max_length=500),
    "unit": Str(nullable=True, max_length=20, description="for number questions, e.g. kg or steps"),
})
TEMPLATE_CREATE = Schema("CheckInTemplateCreate", {
    "title": Str(required=True, min_length=1, max_length=200),
    "questions": Array(items=QUESTION, required=True, min_items=1, max_items=MAX_QUESTIONS),
})
QUESTION_OUT = Schema("CheckInQuestionOut", {"id": Int(), "position": Int(), "kind": Str(enum=KINDS),
                                             "prompt": Str(), "unit": Str(nullable=True)})
TEMPLATE = Schema("CheckInTemplate", {
    "id": Int(), "owner_id": Int(nullable=True), "title": Str(), "questions": Array(items=QUESTION_OUT),
    "created_at": DateTime(), "updated_at": DateTime(),
})
TEMPLATE_LIST = Schema("CheckInTemplateList", {"items": Array(items=TEMPLATE), "total": Int(), "limit": Int(),
                                               "offset": Int()})
LIST_QUERY = Schema("CheckInTemplateQuery", dict(PAGE))


def question(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["question_id"], "position": row["position"], "kind": row["kind"], "prompt": row["prompt"],
            "unit": row["unit"]}


def templates_from_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        template = found.get(row["id"])
        if template is None:
            template = found[row["id"]] = {key: row[key] for key in ("id", "owner_id", "title", "created_at",
                                                                     "updated_at")}
            template["questions"] = []
        if row["question_id"] is not None:
            template["questions"].append(question(row))
    return list(found.values())


async def fetch_template(call: Call, template_id: int) -> dict[str, Any]:
    rows = await call.db.fetch_all("conversations.templates.get", id=template_id, **call.scope)
    if not rows:
        raise not_found("check-in template", template_id)
    return templates_from_rows(rows)[0]


async def create_template(call: Call) -> Response:
    """Make a check-in template (a trainer, for their clients; an admin)."""
    body = call.body or {}
    now = clock.now()
    async with call.db.transaction():
        template_id = await call.db.fetch_val("conversations.templates.insert", title=body["title"], now=now,
                                              caller_id=call.user.id)
        await call.db.execute_many("conversations.templates.insert_questions", [
            {"template_id": template_id, "position": position, "kind": q["kind"], "prompt": q["prompt"],
             "unit": q.get("unit") if q["kind"] == "number" else None}
            for position, q in enumerate(body["questions"])])
    return created(await fetch_template(call, template_id))


async def list_templates(call: Call) -> Response:
    """The caller's templates (an admin: all), newest first."""
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    rows = await call.db.fetch_all("conversations.templates.page", **page, **call.scope)
    total = await call.db.fetch_val("conversations.templates.count", **call.scope)
    return JSONResponse({"items": templates_from_rows(rows), "total": int(total), **page})


async def get_template(call: Call) -> Response:
    """One of the caller's templates with its questions."""
    return JSONResponse(await fetch_template(call, call.path_int("id")))


async def delete_template(call: Call) -> Response:
    """Delete a template no schedule and no answered check-in uses."""
    template_id = call.path_int("id")
    if await call.db.fetch_val("conversations.templates.delete", id=template_id, **call.scope) is None:
        await fetch_template(call, template_id)  # 404 when it is not the caller's
        raise conflict(f"check-in template {template_id} is scheduled or answered; it stays")
    return no_content()

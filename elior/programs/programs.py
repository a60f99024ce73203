"""Programs: a trainer's reusable plan of N weeks x 7 days, each day holding workout templates. Create, list (the
library), read, change, copy, delete.

A program is its owner's: a trainer sees and changes only their own, an admin every program (in SQL: another's
program is not found, 404). Clients never reach these routes (403); what reaches them is the workouts an assignment
makes (elior.programs.assign). Changing a program changes no workout already made from it: re-assign to apply it.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.programs import templates
from elior.programs.schemas import check_program, numbered
from elior.web.errors import conflict, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.search import contains


async def visible_program(call: Call, program_id: int) -> dict[str, Any]:
    """The program with its summary figures, or 404 when it is not the caller's (nor the caller an admin)."""
    row = await call.db.fetch_one("programs.programs.get", id=program_id, **call.scope)
    if row is None:
        raise not_found("program", program_id)
    return row


async def full_program(call: Call, program_id: int) -> dict[str, Any]:
    program = await visible_program(call, program_id)
    return {**program, "workouts": await templates.read(call.db, program_id, call.scope)}


async def list_programs(call: Call) -> Response:
    """The program library: a trainer's own programs, an admin's all (or one owner's), by title."""
    query = call.query
    filters = {"owner_id": query.get("owner_id"), "pattern": contains(query["q"]) if query.get("q") else None,
               **call.scope}
    total = await call.db.fetch_val("programs.programs.count", **filters)
    rows = await call.db.fetch_all("programs.programs.page", **filters, limit=query["limit"], offset=query["offset"])
    return JSONResponse({"items": rows, "total": total, "limit": query["limit"], "offset": query["offset"]})


async def create_program(call: Call) -> Response:
    """A new program of the caller's, with its workout templates and their exercise lines."""
    assert call.body is not None
    body = call.body
    check_program(body, body["weeks"])
    items = numbered(list(body["workouts"]))
    await templates.check_exercises(call.db, list(body["workouts"]))
    async with call.db.transaction():
        program_id = await call.db.fetch_val("programs.programs.insert", title=body["title"],
                                             description=body.get("description"), weeks=body["weeks"],
                                             now=clock.now(), **call.scope)
        await templates.write(call.db, program_id, items, call.scope)
        program = await full_program(call, program_id)
    return created(program)


async def get_program(call: Call) -> Response:
    """One program with its templates in week, day and position order."""
    return JSONResponse(await full_program(call, call.path_int("id")))


async def update_program(call: Call) -> Response:
    """Change a program: the fields sent change; `workouts`, when sent, replaces every template."""
    assert call.body is not None
    body, program_id = call.body, call.path_int("id")
    async with call.db.transaction():
        current = await call.db.fetch_one("programs.programs.get_for_update", id=program_id, **call.scope)
        if current is None:
            raise not_found("program", program_id)
        values = {key: body.get(key, current[key]) for key in ("title", "description", "weeks")}
        if "workouts" in body:
            check_program(body, values["weeks"])
            await templates.check_exercises(call.db, list(body["workouts"]))
        elif values["weeks"] < current["weeks"]:
            kept = await templates.read(call.db, program_id, call.scope)
            if any(t["week"] > values["weeks"] for t in kept):
                raise invalid(("body", "weeks"), "workouts are planned in later weeks; remove them or send the "
                              "whole `workouts` list", "value_error.week")
        if await call.db.fetch_one("programs.programs.update", id=program_id, **values, now=clock.now(),
                                   **call.scope) is None:
            raise not_found("program", program_id)
        if "workouts" in body:
            await call.db.execute("programs.templates.delete", program_id=program_id, **call.scope)
            await templates.write(call.db, program_id, numbered(list(body["workouts"])), call.scope)
        program = await full_program(call, program_id)
    return JSONResponse(program)


async def copy_program(call: Call) -> Response:
    """A copy of a program, its templates and lines, owned by the caller: a new starting point to edit."""
    assert call.body is not None
    source_id = call.path_int("id")
    async with call.db.transaction():
        source = await visible_program(call, source_id)
        title = call.body.get("title") or f"{source['title']} (copy)"[:200]
        target_id = await call.db.fetch_val("programs.programs.insert", title=title,
                                            description=source["description"], weeks=source["weeks"],
                                            now=clock.now(), **call.scope)
        ids = {"source_id": source_id, "target_id": target_id, **call.scope}
        await call.db.execute("programs.templates.copy", **ids)
        await call.db.execute("programs.templates.copy_lines", **ids)
        program = await full_program(call, target_id)
    return created(program)


async def delete_program(call: Call) -> Response:
    """Remove a program no client holds any more (409 while one does: un-assign first). Workouts already made from
    it stay on the clients' calendars."""
    program_id = call.path_int("id")
    async with call.db.transaction():
        program = await visible_program(call, program_id)
        if program["active_clients"]:
            raise conflict(f"program {program_id} is assigned to {program['active_clients']} client(s); "
                           "un-assign it first")
        if await call.db.fetch_one("programs.programs.delete", id=program_id, **call.scope) is None:
            raise not_found("program", program_id)
    return no_content()

"""Assigning a program to clients: each client's workouts made from its templates, in one transaction per client.

`POST /api/programs/{id}/assign {"client_ids", "start_date"}` checks every client first (one statement; any that
is not the caller's: 404, nothing written), then gives each client, in a transaction of their own, a new
assignment and its workouts: all of them or, when something fails for that client (a row changed meanwhile),
none. The others are not held back by it: the answer lists who was assigned and who failed, and why. Each client's
`program.assigned` is recorded in that same transaction (`events.record`): their notification and its push commit
with their workouts, or neither does.
Re-assigning a program a client holds, or un-assigning it, removes that assignment's workouts that are still to
come and not logged; a logged workout (and any past one) is the client's history and is never touched.
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from typing import Any

import orjson
from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.live import events
from elior.programs.programs import visible_program
from elior.web.errors import ApiError, conflict, invalid, not_found
from elior.web.responses import JSONResponse, created
from elior.web.routing import Call

try:
    import asyncpg

    INTEGRITY: tuple[type[Exception], ...] = (sqlite3.IntegrityError, asyncpg.IntegrityConstraintViolationError)
except ImportError:  # pragma: no cover - SQLite-only installs
    INTEGRITY = (sqlite3.IntegrityError,)

log = logging.getLogger("elior.programs")


async def _coached(call: Call, client_ids: list[int]) -> dict[int, str]:
    """Each client's name; 404 for the first the caller may not assign work to (one statement for the list)."""
    found = {row["id"]: row["client_name"] for row in await call.db.fetch_all(
        "programs.assign.coachable", ids=orjson.dumps(client_ids).decode(), **call.scope)}
    for client_id in client_ids:
        if client_id not in found:
            raise not_found("client", client_id)
    return found


async def _remove_future(call: Call, program_id: int, client_id: int) -> tuple[int, int]:
    """End the client's active assignment of the program: (future unlogged workouts removed, assignments ended)."""
    ids = {"program_id": program_id, "client_id": client_id, **call.scope}
    removed = await call.db.fetch_all("programs.assign.remove_future", **ids, today=clock.today())
    ended = await call.db.fetch_all("programs.assign.end", **ids, now=clock.now())
    return len(removed), len(ended)


async def _assign_one(call: Call, program_id: int, client_id: int, start: dt.date) -> dict[str, Any]:
    """One client's whole assignment, inside the caller's transaction: raises to leave that client with nothing."""
    removed, _ = await _remove_future(call, program_id, client_id)
    row = await call.db.fetch_one("programs.assign.insert", program_id=program_id, client_id=client_id,
                                  start_date=start, now=clock.now(), **call.scope)
    if row is None:  # the client was moved to another trainer, demoted or deleted since the check
        raise not_found("client", client_id)
    made = await call.db.fetch_all("programs.assign.workouts", assignment_id=row["id"], now=clock.now(),
                                   **call.scope)
    if made:
        await call.db.execute("programs.assign.lines", assignment_id=row["id"], **call.scope)
    return {**row, "workouts": len(made), "removed": removed}


async def assign(call: Call) -> Response:
    """Give a program to up to 100 clients from a start date: each client's workouts in one transaction."""
    assert call.body is not None
    program_id, start = call.path_int("id"), call.body["start_date"]
    client_ids = list(dict.fromkeys(call.body["client_ids"]))
    if start < clock.today() - dt.timedelta(days=1):
        raise invalid(("body", "start_date"), "must not be before yesterday", "value_error.date.past")
    program = await visible_program(call, program_id)
    try:
        start + dt.timedelta(days=7 * program["weeks"])
    except OverflowError:
        raise invalid(("body", "start_date"), f"its {program['weeks']} weeks would run past the year 9999",
                      "value_error.date.range") from None
    names = await _coached(call, client_ids)
    assigned: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    for client_id in client_ids:
        try:
            async with call.db.transaction():  # the client's workouts and their event commit together
                result = await _assign_one(call, program_id, client_id, start)
                await events.record(call, "program.assigned", {
                    "id": result["id"], "program_id": program_id, "title": program["title"],
                    "start_date": start.isoformat(), "workouts": result["workouts"]}, client_id=client_id)
        except ApiError as error:
            failed.append({"client_id": client_id, "detail": str(error.detail)})
            continue
        except INTEGRITY as error:
            # A row the assignment names changed meanwhile (an exercise deleted, the same assignment made at once).
            log.warning("assignment failed", extra={"program_id": program_id, "client_id": client_id,
                                                    "error": f"{type(error).__name__}: {error}"})
            failed.append({"client_id": client_id, "detail": "the program or the client changed while it was being "
                           "assigned; nothing was written for this client. Try again"})
            continue
        result["client_name"] = names[client_id]
        assigned.append(result)
        await access_log.note(call, client_id, "programs.change")
    if not assigned:
        raise conflict("nothing was assigned: " + "; ".join(f"client {f['client_id']}: {f['detail']}" for f in failed))
    return created({"program_id": program_id, "start_date": start.isoformat(), "assigned": assigned,
                    "failed": failed})


async def unassign(call: Call) -> Response:
    """Take a program back from clients: their future, unlogged workouts of it go; logged and past ones stay."""
    assert call.body is not None
    program_id = call.path_int("id")
    client_ids = sorted(set(call.body["client_ids"]))  # one transaction: rows locked in id order, as everywhere
    await visible_program(call, program_id)
    await _coached(call, client_ids)
    items = []
    async with call.db.transaction():
        for client_id in client_ids:
            removed, ended = await _remove_future(call, program_id, client_id)
            items.append({"client_id": client_id, "removed": removed, "ended": ended})
    for item in items:
        await access_log.note(call, item["client_id"], "programs.change")
    return JSONResponse({"items": items})


async def list_assignments(call: Call) -> Response:
    """Who holds a program (the clients the caller coaches), newest first; `?active=false` adds the ended ones."""
    program_id = call.path_int("id")
    await visible_program(call, program_id)
    rows = await call.db.fetch_all("programs.assign.list", program_id=program_id,
                                   active=1 if call.query["active"] else 0, **call.scope)
    await access_log.note_rows(call, rows, "programs.read")
    return JSONResponse({"items": rows})

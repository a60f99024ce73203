"""Who read or changed a client's records: the access log a client reads (issue 18).

Every endpoint that reads or changes a client's records calls `await note(call, client_id, kind)`. Nothing is
recorded when the caller is that client (their own reads are not an access by someone else) or when `ACCESS_LOG=0`;
otherwise one row is queued for the batch writer (elior/audit/writer.py), which collapses repeats within a minute.
The cost on a request is a dict appended to a list: `bench/access_log.py` measures it against the log turned off.

`kind` names what was looked at and how, from the closed set KINDS (`<records>.read` or `<records>.change`), so the
client's page can say it in words and a typo fails the first test that reaches it rather than writing nonsense.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from starlette.responses import Response

from elior import clock
from elior.audit.writer import AccessLog
from elior.db.database import Database
from elior.settings import Settings
from elior.web.errors import not_found
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Schema, Str

RECORDS = ("profile", "workouts", "workout_logs", "exercise_history", "programs", "meal_plans", "meal_entries",
           "progress", "files", "messages", "check_ins", "habits", "notifications", "appointments", "credits",
           "exports", "access_log")
KINDS = tuple(f"{records}.{how}" for records in RECORDS for how in ("read", "change")) + ("account.deleted",)
_KINDS = frozenset(KINDS)

ENTRY = Schema("AccessLogEntry", {
    "id": Int(), "client_id": Int(),
    "actor_id": Int(nullable=True, description="who; null once that account is deleted (actor_role stays)"),
    "actor_role": Str(enum=("client", "trainer", "admin")),
    "actor_name": Str(nullable=True, description="their name, while the account exists"),
    "kind": Str(enum=KINDS, description="which records, and whether they were read or changed"),
    "address": Str(description="the address the request came from"),
    "user_agent": Str(description="the browser or app that sent it, as it said"),
    "created_at": DateTime(description="when (repeats of one kind by one person within a minute are one row)"),
})
PAGE_OUT = Schema("AccessLogPage", {"items": Array(items=ENTRY), "total": Int(), "limit": Int(), "offset": Int()})
QUERY = Schema("AccessLogQuery", dict(PAGE))


def _writer(call: Call) -> AccessLog | None:
    return getattr(call.request.app.state, "access_log", None)


async def note(call: Call, client_id: int | None, kind: str) -> None:
    """Record that the caller read or changed `client_id`'s records (no-op for the client themself)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown access-log kind {kind!r}")  # a programming error, caught by the first test
    writer = _writer(call)
    if client_id is None or writer is None or not writer.enabled or call.user.id == client_id:
        return
    if writer.fresh(call.user.id, int(client_id), kind):
        client = call.request.client
        writer.add(call.user.id, call.user.role, int(client_id), kind, client.host if client else "unknown",
                   call.request.headers.get("user-agent", ""))


async def note_rows(call: Call, rows: Iterable[dict[str, Any]], kind: str, key: str = "client_id") -> None:
    """`note` once per client among the rows of a list (a trainer's list spans their clients)."""
    if call.user.role == "client":
        return
    for client_id in {row[key] for row in rows if row.get(key) is not None}:
        await note(call, client_id, kind)


async def list_access_log(call: Call) -> Response:
    """Who read or changed the client's records, newest first (the client themself, and admins)."""
    client_id = call.path_int("id")
    if await call.db.fetch_val("audit.access_log.visible_client", client_id=client_id, **call.scope) is None:
        raise not_found("client", client_id)
    await note(call, client_id, "access_log.read")
    limit, offset = call.query["limit"], call.query["offset"]
    rows = await call.db.fetch_all("audit.access_log.page", client_id=client_id, limit=limit, offset=offset,
                                   **call.scope)
    total = await call.db.fetch_val("audit.access_log.count", client_id=client_id, **call.scope)
    return JSONResponse({"items": rows, "total": int(total), "limit": limit, "offset": offset})


async def prune(db: Database, settings: Settings) -> int:
    """Housekeeping's step: rows older than ACCESS_LOG_DAYS."""
    before = clock.now() - dt.timedelta(days=settings.access_log_days)
    return len(await db.fetch_all("audit.access_log.prune", before=before))

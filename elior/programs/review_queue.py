"""The review queue: `GET /api/meal-entries?status=pending`, the meal entries waiting across the caller's clients.

One request instead of one per meal plan: a trainer's every client (or one, `?client_id=`), a client their own,
an admin the studio's (or one trainer's clients, `?trainer_id=`); oldest first, so the longest wait is answered
first. Reviewing stays `PUT /api/meal-plans/{id}/entries/{entry_id}/review` (elior.nutrition.meal_entries).
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior.nutrition.meal_entries import ENTRY_OUT, STATUSES
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Int, Schema, Str

QUERY = Schema("ReviewQueueQuery", {
    "status": Str(enum=STATUSES, default="pending"),
    "client_id": Int(minimum=1, description="one client the caller may see"),
    "trainer_id": Int(minimum=1, description="admins: one trainer's clients"),
    **PAGE,
})
ITEM = ENTRY_OUT.extend("ReviewQueueEntry", {"client_name": Str(), "plan_title": Str()})
PAGE_OUT = Schema("ReviewQueuePage", {"items": Array(items=ITEM), "total": Int(), "limit": Int(), "offset": Int()})


async def review_queue(call: Call) -> Response:
    """Meal entries of one status (default: pending) across the caller's clients, oldest first."""
    query = call.query
    values: dict[str, Any] = {"status": query["status"], **call.scope}
    client_id = call.user.id if call.user.role == "client" else query.get("client_id")
    trainer_id = call.user.id if call.user.role == "trainer" else query.get("trainer_id")
    if client_id is not None:
        path, values["client_id"] = "client", client_id
    elif trainer_id is not None:
        path, values["trainer_id"] = "trainer", trainer_id
    else:
        path = "all"  # an admin: the SQL's rule lets no one else see the studio's entries
    total = await call.db.fetch_val(f"programs.review_queue.count_{path}", **values)
    rows = await call.db.fetch_all(f"programs.review_queue.page_{path}", **values, limit=query["limit"],
                                   offset=query["offset"])
    return JSONResponse({"items": rows, "total": total, "limit": query["limit"], "offset": query["offset"]})

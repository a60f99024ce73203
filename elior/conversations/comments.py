"""Comments on a logged workout: the trainer's feedback and the client's replies, oldest first.

The two sides write (the client and their current trainer); admins and anyone who may see the workout read. A
workout takes comments once it has been logged: before that there is nothing done to talk about (409). An author may
delete their own comment within the messages' window. A new comment is announced as `comment.created`, which
notifies the other side.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.conversations.messages import EDIT_WINDOW, MAX_BODY
from elior.live import events
from elior.web.errors import conflict, forbidden, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Schema, Str

COMMENT_CREATE = Schema("CommentCreate", {"body": Str(required=True, min_length=1, max_length=MAX_BODY,
                                                      description="plain text, never HTML")})
COMMENT = Schema("Comment", {
    "id": Int(), "workout_id": Int(), "client_id": Int(), "author_id": Int(nullable=True),
    "author_name": Str(nullable=True), "body": Str(max_length=MAX_BODY), "created_at": DateTime(),
})
COMMENT_LIST = Schema("CommentList", {"items": Array(items=COMMENT, description="oldest first"), "total": Int(),
                                      "limit": Int(), "offset": Int()})
LIST_QUERY = Schema("CommentQuery", dict(PAGE))


def shape(row: dict[str, Any]) -> dict[str, Any]:
    return {key: row[key] for key in COMMENT.fields}


async def _workout(call: Call, workout_id: int) -> dict[str, Any]:
    workout = await call.db.fetch_one("conversations.comments.workout", id=workout_id, **call.scope)
    if workout is None:
        raise not_found("workout", workout_id)
    return workout


async def list_comments(call: Call) -> Response:
    """The comments on a workout the caller may see, oldest first."""
    workout_id = call.path_int("id")
    workout = await _workout(call, workout_id)
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    rows = await call.db.fetch_all("conversations.comments.page", workout_id=workout_id, **page, **call.scope)
    total = await call.db.fetch_val("conversations.comments.count", workout_id=workout_id, **call.scope)
    await access_log.note(call, workout["client_id"], "workouts.read")
    return JSONResponse({"items": [shape(row) for row in rows], "total": int(total), **page})


async def create_comment(call: Call) -> Response:
    """Comment on a logged workout: the client, or their trainer."""
    workout_id = call.path_int("id")
    workout = await _workout(call, workout_id)
    if workout["log_id"] is None:
        raise conflict(f"workout {workout_id} has not been logged yet; comments follow the log")
    async with call.db.transaction():
        comment_id = await call.db.fetch_val("conversations.comments.insert", workout_id=workout_id,
                                             body=(call.body or {})["body"], now=clock.now(), **call.scope)
        if comment_id is None:  # visible, but not one of the two sides (a former trainer mid-move)
            raise not_found("workout", workout_id)
        comment = shape(await call.db.fetch_one("conversations.comments.get", id=comment_id, workout_id=workout_id,
                                                **call.scope) or {})
        await events.record(call, "comment.created", {**comment, "title": workout["title"]},
                            client_id=workout["client_id"])  # commits with the comment
    await access_log.note(call, workout["client_id"], "workouts.change")
    return created(comment)


async def delete_comment(call: Call) -> Response:
    """Delete one's own comment within 15 minutes of writing it."""
    workout_id, comment_id = call.path_int("id"), call.path_int("comment_id")
    now = clock.now()
    deleted = await call.db.fetch_val("conversations.comments.delete", id=comment_id, workout_id=workout_id,
                                      window_start=now - EDIT_WINDOW, **call.scope)
    if deleted is None:
        row = await call.db.fetch_one("conversations.comments.get", id=comment_id, workout_id=workout_id,
                                      **call.scope)
        if row is None:
            raise not_found("comment", comment_id)
        raise forbidden("only its author may delete a comment, within 15 minutes of writing it")
    if call.user.role != "client":  # a client deletes only on their own workouts: nothing to record
        await access_log.note(call, (await _workout(call, workout_id))["client_id"], "workouts.change")
    return no_content()

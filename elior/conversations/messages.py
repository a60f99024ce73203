"""Messages of a thread: keyset pages (newest first), sending with attachments, editing and deleting within a window.

Text is text: the API stores and returns exactly what was sent (up to 4,000 characters) and never renders it; a
link in a message is characters, which the SPA must show as text, never as HTML. Attachments are the sender's own
uploads about the thread's client (checked in SQL), so both participants may read them through the files rules;
each comes with a signed URL, as the files list gives. A sender may edit or delete their own message for
EDIT_WINDOW after sending; a deleted message keeps its place with an empty body and `deleted_at`.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.conversations import threads
from elior.files.endpoints import signed_url
from elior.settings import Settings
from elior.web.errors import forbidden, invalid, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import MAX_ID, Call
from elior.web.schema import Array, DateTime, Int, Schema, Str

MAX_BODY = 4000
MAX_ATTACHMENTS = 10
EDIT_WINDOW = dt.timedelta(minutes=15)

ATTACHMENT = Schema("MessageAttachment", {
    "filename": Str(), "content_type": Str(), "size": Int(), "url": Str(description="a signed URL, valid for a while"),
})
MESSAGE = Schema("Message", {
    "id": Int(), "client_id": Int(description="the thread"), "sender_id": Int(nullable=True),
    "sender_name": Str(nullable=True),
    "body": Str(max_length=MAX_BODY, description="plain text, never HTML: show links as text"),
    "attachments": Array(items=ATTACHMENT, max_items=MAX_ATTACHMENTS), "created_at": DateTime(),
    "edited_at": DateTime(nullable=True), "deleted_at": DateTime(nullable=True),
    "editable_until": DateTime(description="the sender may edit or delete it until then"),
})
READ_STATE = Schema("ReadState", {"user_id": Int(), "last_read_id": Int(), "read_at": DateTime()})
MESSAGE_PAGE = Schema("MessagePage", {
    "items": Array(items=MESSAGE, description="newest first"), "limit": Int(),
    "next_before": Int(nullable=True, description="pass as `before` for the next, older page; null at the start"),
    "reads": Array(items=READ_STATE, max_items=2, description="how far each participant has read"),
})
PAGE_QUERY = Schema("MessagePageQuery", {
    "before": Int(minimum=1, description="only messages older than this id (keyset paging); the newest without it"),
    "limit": Int(minimum=1, maximum=100, default=50, description="page size, at most 100"),
})
MESSAGE_CREATE = Schema("MessageCreate", {
    "body": Str(max_length=MAX_BODY, default="", strip=False, description="plain text; may be empty with attachments"),
    "attachments": Array(items=Str(min_length=1, max_length=200), max_items=MAX_ATTACHMENTS,
                         description="filenames of the sender's own uploads about this client, in order"),
}, "text, attachments, or both")
MESSAGE_EDIT = Schema("MessageEdit", {"body": Str(required=True, max_length=MAX_BODY, strip=False)})


def _editable_until(created_at: str) -> str:
    return clock.iso(dt.datetime.fromisoformat(created_at.replace("Z", "+00:00")) + EDIT_WINDOW)


def messages_from_rows(settings: Settings, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of message x attachment (in order) to Message objects."""
    found: dict[int, dict[str, Any]] = {}
    for row in rows:
        message = found.get(row["id"])
        if message is None:
            message = found[row["id"]] = {
                "id": row["id"], "client_id": row["client_id"], "sender_id": row["sender_id"],
                "sender_name": row["sender_name"], "body": row["body"], "attachments": [],
                "created_at": row["created_at"], "edited_at": row["edited_at"], "deleted_at": row["deleted_at"],
                "editable_until": _editable_until(row["created_at"])}
        if row["filename"] is not None:
            message["attachments"].append({"filename": row["filename"], "content_type": row["content_type"],
                                           "size": row["size"], "url": signed_url(settings, row["filename"])})
    return list(found.values())


async def fetch_message(call: Call, client_id: int, message_id: int) -> dict[str, Any]:
    rows = await call.db.fetch_all("conversations.messages.get", id=message_id, client_id=client_id, **call.scope)
    if not rows:
        raise not_found("message", message_id)
    return messages_from_rows(call.settings, rows)[0]


async def list_messages(call: Call) -> Response:
    """A page of the thread, newest first; `before=<id>` for older ones. Admins may read (recorded)."""
    client_id, limit = call.path_int("client_id"), call.query["limit"]
    await threads.visible_thread(call, client_id)
    rows = await call.db.fetch_all("conversations.messages.page", client_id=client_id,
                                   before=call.query.get("before") or MAX_ID, limit=limit, **call.scope)
    items = messages_from_rows(call.settings, rows)
    reads = await threads.read_states(call, client_id)
    next_before = items[-1]["id"] if len(items) == limit else None
    await access_log.note(call, client_id, "messages.read")  # a trainer's read, or an admin's for support
    return JSONResponse({"items": items, "limit": limit, "next_before": next_before, "reads": reads})


async def send_message(call: Call) -> Response:
    """Send a message to the thread: the client, or their trainer. Attachments must be the sender's own uploads
    about this client (422 naming the one that is not)."""
    client_id, body = call.path_int("client_id"), call.body or {}
    text, files = body.get("body", ""), body.get("attachments", [])
    if not text.strip() and not files:
        raise invalid(("body", "body"), "write something or attach a file", "value_error.missing")
    if len(set(files)) != len(files):
        raise invalid(("body", "attachments"), "names the same file twice", "value_error.duplicate")
    async with threads.writing(call, client_id) as pending:
        now = clock.now()
        row = await call.db.fetch_one("conversations.messages.insert", client_id=client_id, body=text, now=now,
                                      caller_id=call.user.id)
        assert row is not None
        message_id = row["id"]
        for position, filename in enumerate(files):
            if await call.db.fetch_val("conversations.messages.attach", message_id=message_id, position=position,
                                       filename=filename, client_id=client_id, caller_id=call.user.id) is None:
                raise invalid(("body", "attachments", position), "is not a file you uploaded for this client",
                              "value_error.file")
        await call.db.execute("conversations.threads.touch", client_id=client_id, message_id=message_id, now=now)
        # Sending reads the thread up to one's own message: it never counts as unread for its sender.
        await call.db.fetch_one("conversations.threads.mark_read", client_id=client_id, message_id=message_id,
                                now=now, **call.scope)
        if files:
            message = await fetch_message(call, client_id, message_id)
        else:  # all there is to show was just written: spare the read (a round trip inside the transaction)
            message = messages_from_rows(call.settings, [{**row, "sender_name": call.user.full_name,
                                                          "filename": None}])[0]
        pending.add("message.created", message)
    await access_log.note(call, client_id, "messages.change")
    return created(message)


async def _own_message(call: Call, client_id: int, message_id: int) -> dict[str, Any]:
    """The caller's own message still in its window (inside the thread's write), or 404 / 403 saying which."""
    own = await call.db.fetch_one("conversations.messages.own", id=message_id, client_id=client_id, **call.scope)
    if own is None:
        await fetch_message(call, client_id, message_id)  # 404 when it is not a message of this thread
        raise forbidden("only its sender may change a message")
    if own["deleted_at"] is not None:
        raise forbidden("the message was deleted")
    if clock.now() >= dt.datetime.fromisoformat(own["created_at"].replace("Z", "+00:00")) + EDIT_WINDOW:
        raise forbidden(f"a message may be changed only within {int(EDIT_WINDOW.total_seconds() // 60)} minutes "
                        "of sending it")
    return own


async def edit_message(call: Call) -> Response:
    """Change the text of one's own message within 15 minutes of sending it."""
    client_id, message_id = call.path_int("client_id"), call.path_int("id")
    text = (call.body or {})["body"]
    async with threads.writing(call, client_id) as pending:
        own = await _own_message(call, client_id, message_id)
        if not text.strip() and not own["attachments"]:
            raise invalid(("body", "body"), "must not be empty: delete the message instead", "value_error.missing")
        now = clock.now()
        if await call.db.fetch_val("conversations.messages.edit", id=message_id, client_id=client_id, body=text,
                                   now=now, window_start=now - EDIT_WINDOW, **call.scope) is None:
            raise forbidden("the message can no longer be changed")
        message = await fetch_message(call, client_id, message_id)
        pending.add("message.updated", message)
    await access_log.note(call, client_id, "messages.change")
    return JSONResponse(message)


async def delete_message(call: Call) -> Response:
    """Delete one's own message within 15 minutes of sending it; it stays in the thread as deleted."""
    client_id, message_id = call.path_int("client_id"), call.path_int("id")
    async with threads.writing(call, client_id) as pending:
        await _own_message(call, client_id, message_id)
        now = clock.now()
        if await call.db.fetch_val("conversations.messages.delete", id=message_id, client_id=client_id, now=now,
                                   window_start=now - EDIT_WINDOW, **call.scope) is None:
            raise forbidden("the message can no longer be changed")
        await call.db.execute("conversations.messages.detach_all", message_id=message_id)
        pending.add("message.updated", await fetch_message(call, client_id, message_id))
    await access_log.note(call, client_id, "messages.change")
    return no_content()

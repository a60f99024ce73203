"""Threads: one per client, between the client and whoever is their trainer now; the list, read state, ordering.

Who takes part is the one visibility rule of sql/shared/caller_sees_client.sql less admins: the client and their
current trainer. A client moved to another trainer is in the new trainer's list from then on, history included (it
is the client's thread), and the old trainer's reads and writes find nothing. Admins read any thread for support;
each such read is recorded (message_reads_by_admin) and they never write, mark read, or count unread.

Order: every write to a thread goes through `writing()`, which takes the thread's row first (see
sql/conversations/threads/open.sql), so writes to one thread commit one at a time and message ids follow commit
order. Its events are recorded inside that transaction (`events.record`): they commit with the write or not at all,
and leave in commit order through the notification outbox (elior/live/outbox.py): on PostgreSQL their NOTIFY is sent
at commit, heard by every process in commit order; on SQLite the outbox pushes its rows in id order, which is commit
order on the single writer.
"""
from __future__ import annotations

import contextlib
from typing import Any, AsyncIterator

from starlette.responses import Response

from elior import clock
from elior.audit import access_log  # who read or changed a client's records
from elior.live import events
from elior.web.errors import not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Int, Object, Schema, Str

UNREAD_CAP = 100  # unread counts stop here: a badge shows "99+", and a long unread history costs no more to count
PREVIEW_CHARS = 140


class Announcements(list):  # type: ignore[type-arg]
    """The events a thread write records at its end, in order: `(event type, data)`."""

    def add(self, event_type: str, data: dict[str, Any]) -> None:
        self.append((event_type, data))


@contextlib.asynccontextmanager
async def writing(call: Call, client_id: int) -> AsyncIterator[Announcements]:
    """A write to the client's thread by one of its participants (404 for anyone else); the events it adds are
    recorded as its transaction's last statements, so they commit with it (a write that raises records none)."""
    pending = Announcements()
    async with call.db.transaction():
        opened = await call.db.fetch_val("conversations.threads.open", client_id=client_id, now=clock.now(),
                                         **call.scope)
        if opened is None:
            raise not_found("conversation", client_id)
        yield pending
        for event_type, data in pending:
            await events.record(call, event_type, data, client_id=client_id)


async def visible_thread(call: Call, client_id: int) -> dict[str, Any]:
    """The client whose thread the caller may read (participants and admins), or 404. An admin's read is recorded."""
    row = await call.db.fetch_one("conversations.threads.visible", client_id=client_id, **call.scope)
    if row is None:
        raise not_found("conversation", client_id)
    if call.user.role == "admin":
        await call.db.execute("conversations.threads.record_admin_read", caller_id=call.user.id, client_id=client_id,
                              now=clock.now())
    return row


async def read_states(call: Call, client_id: int) -> list[dict[str, Any]]:
    return await call.db.fetch_all("conversations.threads.reads", client_id=client_id, **call.scope)


# --- the caller's threads ---

LAST_MESSAGE = Schema("ThreadLastMessage", {
    "id": Int(), "sender_id": Int(nullable=True), "preview": Str(description=f"the first {PREVIEW_CHARS} characters, "
                                                                  "as text"),
    "created_at": DateTime(), "deleted_at": DateTime(nullable=True),
})
THREAD = Schema("Thread", {
    "client_id": Int(description="the thread's id: one thread per client"), "client_name": Str(),
    "trainer_id": Int(nullable=True), "trainer_name": Str(nullable=True),
    "last_message": Object(schema_=LAST_MESSAGE, nullable=True),
    "last_read_id": Int(nullable=True, description="the caller's read mark"),
    "unread": Int(description=f"messages of the others after the caller's read mark, counted up to {UNREAD_CAP}"),
})
THREAD_LIST = Schema("ThreadList", {"items": Array(items=THREAD), "total": Int(), "limit": Int(), "offset": Int()})
THREAD_QUERY = Schema("ThreadQuery", dict(PAGE))
READ = Schema("ThreadRead", {"message_id": Int(required=True, minimum=1, description="the newest message read")})


def thread_shape(row: dict[str, Any]) -> dict[str, Any]:
    last = None
    if row["last_id"] is not None:
        last = {"id": row["last_id"], "sender_id": row["last_sender_id"],
                "preview": (row["last_body"] or "")[:PREVIEW_CHARS], "created_at": row["last_at"],
                "deleted_at": row["last_deleted_at"]}
    return {"client_id": row["client_id"], "client_name": row["client_name"], "trainer_id": row["trainer_id"],
            "trainer_name": row["trainer_name"], "last_message": last, "last_read_id": row["last_read_id"],
            "unread": int(row["unread"] or 0)}


async def list_threads(call: Call) -> Response:
    """The caller's threads, newest activity first, with unread counts: a client's own; a trainer's, one per client
    of theirs (those never written in last); an admin's, every thread that has messages."""
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    role, db = call.user.role, call.db
    if role == "client":
        rows = await db.fetch_all("conversations.threads.list_client", cap=UNREAD_CAP, **call.scope)
        total, rows = len(rows), rows[page["offset"]:page["offset"] + page["limit"]]
    elif role == "trainer":
        where = {"trainer_id": call.user.id, **call.scope}
        rows = await db.fetch_all("conversations.threads.list_trainer", cap=UNREAD_CAP, **where, **page)
        total = await db.fetch_val("conversations.threads.count_trainer", **where)
    else:
        rows = await db.fetch_all("conversations.threads.list_admin", **call.scope, **page)
        total = await db.fetch_val("conversations.threads.count_admin", **call.scope)
    await access_log.note_rows(call, rows, "messages.read")  # the previews are the clients' messages
    return JSONResponse({"items": [thread_shape(row) for row in rows], "total": int(total), **page})


async def mark_read(call: Call) -> Response:
    """The caller (the client or their trainer) has read the thread up to `message_id`; never moves back."""
    client_id, message_id = call.path_int("client_id"), (call.body or {})["message_id"]
    async with writing(call, client_id) as pending:
        row = await call.db.fetch_one("conversations.threads.mark_read", client_id=client_id, message_id=message_id,
                                      now=clock.now(), **call.scope)
        if row is None:
            if await call.db.fetch_val("conversations.threads.message_exists", client_id=client_id,
                                       message_id=message_id, **call.scope) is None:
                raise not_found("message", message_id)
        else:
            pending.add("message.read", {"client_id": client_id, "user_id": row["user_id"],
                                         "last_read_id": row["last_read_id"], "read_at": row["read_at"]})
    return no_content()

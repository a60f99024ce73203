"""A client's account deleted at their request: the client asks, the export is offered first, an admin confirms.

Confirming removes, in one transaction, every row of the client's: the account row takes with it, through ON DELETE
CASCADE, every table that keys on the client (workouts, logs, plans, entries, progress, files' rows, messages,
bookings and credits, notifications, the access log about them...), and ON DELETE SET NULL clears the ids other
people's rows keep of them. What no key reaches is deleted by name: invites that carry their email, failed
sign-ins under it, their trainer's notifications about them (`data` holds their id and name), the attention queue's
counter (which the cascade's own triggers bump, so it goes last), and every mail queued to them
(elior.mail.queue.forget). Their export ZIPs go with their export rows (elior.exports.jobs.forget_client); after the
commit, the bytes of their files are removed from disk. The file encryption key is the studio's one key
(elior/media/crypto.py); each file's own nonce is in its header, so removing the bytes removes everything that was
particular to that file.

The access log then holds one row about it: `account.deleted`, by which admin, on which request; no client id, no
name, no email. The request row itself keeps only its status and who decided it (its client_id is cleared).
"""
from __future__ import annotations

from typing import Any

from starlette.responses import Response

from elior import clock
from elior.exports import jobs as export_jobs
from elior.mail import queue as mail_queue
from elior.media import storage
from elior.web.errors import conflict, not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Email, Int, Object, Schema, Str
from elior.web.search import contains

STATUSES = ("pending", "rejected", "done")
EXPORT_BODY = Schema("ExportOfferBody", {"client_id": Int()})
EXPORT_OFFER = Schema("ExportOffer", {
    "href": Str(description="POST here with the body below to export everything first"),
    "method": Str(enum=("POST",)), "body": Object(schema_=EXPORT_BODY, description="the export's body"),
})
REQUEST = Schema("DeletionRequest", {
    "id": Int(), "client_id": Int(nullable=True, description="null once the account is deleted"),
    "status": Str(enum=STATUSES), "created_at": DateTime(), "decided_at": DateTime(nullable=True),
})
ASKED = REQUEST.extend("DeletionRequested", {
    "export": Object(schema_=EXPORT_OFFER, description="take everything first: the export is offered before the "
                     "account goes"),
})
LISTED = REQUEST.extend("DeletionRequestListed", {
    "email": Email(nullable=True), "full_name": Str(nullable=True), "decided_by": Int(nullable=True),
})
PAGE_OUT = Schema("DeletionRequestPage", {"items": Array(items=LISTED), "total": Int(), "limit": Int(),
                                          "offset": Int()})
LIST_QUERY = Schema("DeletionRequestQuery", {"status": Str(enum=STATUSES), **PAGE})


def _offer(client_id: int) -> dict[str, Any]:
    return {"href": "/api/exports", "method": "POST", "body": {"client_id": client_id}}


async def request_deletion(call: Call) -> Response:
    """A client asks for their account to be deleted; asking again answers the request already open."""
    client_id = call.user.id
    async with call.db.transaction():
        row = await call.db.fetch_one("audit.deletion.pending_of", client_id=client_id)
        if row is None:
            row = await call.db.fetch_one("audit.deletion.insert", client_id=client_id, now=clock.now())
    assert row is not None
    return JSONResponse({**row, "export": _offer(client_id)}, status_code=202)


async def list_requests(call: Call) -> Response:
    """Deletion requests (admins): open ones first, then the newest."""
    status, limit, offset = call.query.get("status"), call.query["limit"], call.query["offset"]
    rows = await call.db.fetch_all("audit.deletion.page", status=status, limit=limit, offset=offset, **call.scope)
    total = await call.db.fetch_val("audit.deletion.count", status=status, **call.scope)
    return JSONResponse({"items": rows, "total": int(total), "limit": limit, "offset": offset})


async def reject(call: Call) -> Response:
    """An admin keeps the account: the request is closed as rejected."""
    request_id = call.path_int("id")
    async with call.db.transaction():
        await _pending(call, request_id)
        await call.db.execute("audit.deletion.decide", id=request_id, status="rejected", now=clock.now(),
                              by=call.user.id)
    return no_content()


async def confirm(call: Call) -> Response:
    """An admin confirms: every row and file of the client's is removed, and the access log says it happened."""
    request_id = call.path_int("id")
    names: list[str] = []
    async with call.db.transaction():
        found = await _pending(call, request_id)
        client_id, email = int(found["client_id"]), found["email"]
        writer = getattr(call.request.app.state, "access_log", None)
        if writer is not None:
            writer.forget_client(client_id)  # nothing queued about them may be written after they are gone
        names = await storage.filenames_of_user(call.db, client_id)
        # Their export ZIPs, read by their rows, which the account takes with it: removed now (a deletion that then
        # failed would have lost only archives that can be made again).
        await export_jobs.forget_client(call.db, call.settings, client_id)
        await erase(call.db, client_id, email)
        await call.db.execute("audit.deletion.decide", id=request_id, status="done", now=clock.now(),
                              by=call.user.id)
        client = call.request.client
        await call.db.execute("audit.deletion.note_deleted", actor_id=call.user.id, request_id=request_id,
                              address=client.host if client else "unknown",
                              user_agent=call.request.headers.get("user-agent", "")[:300], now=clock.now())
    storage.remove_files(call.settings, names)
    call.request.app.state.authenticator.forget_sessions()
    return no_content()


async def erase(db: Any, client_id: int, email: str) -> None:
    """Every row of the client's (inside the caller's transaction): first what no foreign key reaches, then the
    account, which takes the rest with it."""
    await db.fetch_all("audit.deletion.forget_invites", client_id=client_id, email=email)
    await db.fetch_all("audit.deletion.forget_login_failures", email=email)
    await db.fetch_all("audit.deletion.forget_notifications", client_id=client_id)
    named = f'"client_id":{int(client_id)}'  # as orjson writes it, no spaces, then `,` or `}`
    pushes = {"within": contains(named + ","), "last": contains(named + "}")}
    await db.execute("audit.deletion.forget_pushes", **pushes)
    await db.execute("audit.deletion.forget_large_pushes", **pushes)
    await mail_queue.forget(db, email)
    if await db.fetch_val("audit.deletion.delete_client", client_id=client_id) is None:
        raise not_found("client", client_id)
    # After the account: the cascade's deletes of their workouts and entries bump this counter again (triggers).
    await db.fetch_all("audit.deletion.forget_attention", client_id=client_id)


async def _pending(call: Call, request_id: int) -> dict[str, Any]:
    """The request, locked, if it is still open and its client still exists; else 404 or 409."""
    found = await call.db.fetch_one("audit.deletion.lock", id=request_id, **call.scope)
    if found is None:
        raise not_found("deletion request", request_id)
    if found["status"] != "pending" or found["client_id"] is None:
        raise conflict(f"deletion request {request_id} is {found['status']} already")
    return found  # type: ignore[no-any-return]

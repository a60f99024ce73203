"""Invites: single-use codes that decide a new account's role and trainer at registration.

A trainer invites clients to themselves; an admin invites trainers, or clients (to a trainer with `trainer_id`, or
unassigned). The code is the secret: 128 random bits.
"""
from __future__ import annotations

import datetime as dt
import secrets

from starlette.responses import Response

from elior import clock
from elior.accounts.users import check_trainer
from elior.web.errors import forbidden, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Email, Int, Schema, Str

INVITE_CREATE = Schema("InviteCreate", {
    "role": Str(required=True, enum=("client", "trainer")),
    "email": Email(nullable=True, description="when set, only this address can use the invite"),
    "trainer_id": Int(nullable=True, minimum=1, description="admin only: the trainer a client invite assigns to"),
})
INVITE = Schema("Invite", {
    "code": Str(required=True), "role": Str(required=True, enum=("client", "trainer")),
    "email": Email(nullable=True), "trainer_id": Int(nullable=True), "created_by": Int(),
    "created_at": DateTime(), "expires_at": DateTime(required=True), "used_at": DateTime(nullable=True),
})
INVITE_LIST = Schema("InviteList", {"items": Array(items=INVITE), "total": Int(), "limit": Int(), "offset": Int()})
INVITE_QUERY = Schema("InviteQuery", dict(PAGE))


async def create_invite(call: Call) -> Response:
    """A trainer: client invites for themselves. An admin: any."""
    body = call.body or {}
    trainer_id = body.get("trainer_id")
    if call.user.role == "trainer":
        if body["role"] != "client":
            raise forbidden("a trainer may only invite clients")
        if trainer_id not in (None, call.user.id):
            raise forbidden("a trainer's invites assign clients to that trainer")
        trainer_id = call.user.id
    else:
        await check_trainer(call.db, trainer_id, body["role"])
    now = clock.now()
    row = await call.db.fetch_one("accounts.invites.create", code=secrets.token_urlsafe(16), role=body["role"],
                                  email=body.get("email"), trainer_id=trainer_id, created_by=call.user.id, now=now,
                                  expires_at=now + dt.timedelta(days=call.settings.invite_expire_days))
    return created(row)


async def list_invites(call: Call) -> Response:
    """Admins: every invite. Trainers: their own."""
    page = {"limit": call.query["limit"], "offset": call.query["offset"]}
    rows = await call.db.fetch_all("accounts.invites.list", **call.scope, **page)
    total = await call.db.fetch_val("accounts.invites.count", **call.scope)
    return JSONResponse({"items": rows, "total": int(total), **page})


async def delete_invite(call: Call) -> Response:
    """Withdraw an invite (its maker, or an admin)."""
    code = call.request.path_params["code"]
    if await call.db.fetch_val("accounts.invites.delete", code=code, **call.scope) is None:
        raise not_found("invite", code)
    return no_content()

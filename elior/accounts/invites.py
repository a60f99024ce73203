"""Invites: single-use codes that decide a new account's role and trainer at registration.

A trainer invites clients to themselves; an admin invites trainers, or clients (to a trainer with `trainer_id`, or
unassigned). The code is the secret: 128 random bits.

An invite is only as good as its maker's standing: it can be claimed only while the maker is active and may still
make it (an admin any, a trainer a client invite to themself), and a client invite's trainer is still an active
trainer. A change of role or a deactivation voids the user's open invites in the same transaction (`update_user` in
elior.accounts.users), and the claim checks again in SQL, so a trainer demoted before their invite is used never
gets a "client".
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.accounts.users import check_trainer
from elior.db.database import Database
from elior.web.errors import ApiError, forbidden, not_found
from elior.web.fields import normalize_email
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, DateTime, Email, Int, Schema, Str

NO_LONGER_VALID = "this invite is no longer valid: it was used meanwhile, or whoever made it may no longer make it"

INVITE_CREATE = Schema("InviteCreate", {
    "role": Str(required=True, enum=("client", "trainer")),
    "email": Email(nullable=True, description="when set, only this address can use the invite"),
    "trainer_id": Int(nullable=True, minimum=1, description="admin only: the trainer a client invite assigns to"),
})
INVITE = Schema("Invite", {
    "code": Str(required=True), "role": Str(required=True, enum=("client", "trainer")),
    "email": Email(nullable=True), "trainer_id": Int(nullable=True), "created_by": Int(),
    "created_at": DateTime(), "expires_at": DateTime(required=True), "used_at": DateTime(nullable=True),
    "voided_at": DateTime(nullable=True, description="when its maker's role changed or they were deactivated: from "
                          "then on it cannot be used"),
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


async def check_invite(db: Database, code: str, email: str) -> dict[str, Any]:
    """Before any work: 404 for an unknown code, 410 for a used, withdrawn or expired one, 403 for another email."""
    invite = await db.fetch_one("accounts.invites.get", code=code)
    if invite is None:
        raise not_found("invite", code)
    if invite["used_at"] is not None:
        raise ApiError(410, "this invite was already used")
    if invite["voided_at"] is not None:
        raise ApiError(410, "this invite was withdrawn: whoever made it may no longer make it")
    if dt.datetime.fromisoformat(invite["expires_at"].replace("Z", "+00:00")) <= clock.now():
        raise ApiError(410, "this invite has expired")
    if invite["email"] and normalize_email(invite["email"]) != email:  # stored before normalisation, perhaps
        raise forbidden("this invite is for another email address")
    return invite


async def claim_invite(db: Database, invite: dict[str, Any]) -> dict[str, Any]:
    """Spend the invite (inside the registration's transaction): its role and trainer_id, or 410."""
    people = await db.fetch_all("accounts.invites.lock_people", maker_id=invite["created_by"],
                                trainer_id=invite["trainer_id"])
    maker_role = next((row["role"] for row in people if row["id"] == invite["created_by"]), None)
    claimed = await db.fetch_one("accounts.invites.claim", code=invite["code"], now=clock.now(),
                                 caller_id=invite["created_by"], caller_role=maker_role)
    if claimed is None:
        raise ApiError(410, NO_LONGER_VALID)
    return claimed

"""Password reset (issue 17): a single-use link, mailed on request or made by an admin or trainer to hand over.

A link carries a random token (256 bits); the database keeps only its SHA-256 (`password_resets`), so a leaked
database resets nobody. It is valid PASSWORD_RESET_MINUTES and works once; using it sets the password, spends every
other link of the account and ends every login (refresh tokens die with their login; open sockets are closed by the
hub's watchdog within seconds, elior/live/hub.py, as after a logout).

Asking for a link never tells whether an account has the address: every well-formed request answers the same 202
with the same body, and both paths write a request row in one transaction (the known one also a link row and a
queued mail), so the difference in time is a couple of inserts, not a query versus none. Mail itself is sent after
the commit by elior/mail's sender, never inside the request. The request rows hold the limits, per email and per
address, in the database so they hold across server processes; a blocked request is a 429 for known and unknown
addresses alike.

Unknown token: 404; spent, expired, or of an account deactivated since: 410 (one a user can act on: ask again).
"""
from __future__ import annotations

import datetime as dt
import html
import math
import secrets
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.accounts.bootstrap import base_url
from elior.db.database import Database
from elior.mail import enqueue, mail_enabled
from elior.settings import Settings
from elior.web.errors import ApiError, conflict, forbidden, not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import Bool, DateTime, Email, Int, Password, Schema, Str
from elior.web.tokens import NO_STORE, hash_token

REQUEST_WINDOW = dt.timedelta(hours=1)
EMAIL_REQUESTS = 5  # per address asked for, within the window: more would only flood someone's inbox
ADDRESS_REQUESTS = 20  # per client address within the window: a studio's members may share one Wi-Fi
ACCEPTED = "if an active account has this address, a link to set a new password is on its way"

RESET_REQUEST = Schema("PasswordResetRequest", {"email": Email(required=True)})
RESET_ACCEPTED = Schema("PasswordResetAccepted", {
    "detail": Str(required=True), "mail": Bool(required=True, description="whether this server sends mail at all "
                                                "(the same for every address)")})
RESET_OPTIONS = Schema("PasswordResetOptions", {
    "mail": Bool(required=True, description="SMTP is set up: a reset can be asked for by mail; if not, ask an admin "
                 "or your trainer for a link"),
    "valid_minutes": Int(required=True, minimum=1, description="how long a link stays valid (PASSWORD_RESET_MINUTES)"),
})
RESET_CONFIRM = Schema("PasswordResetConfirm", {
    "token": Str(required=True, min_length=1, max_length=200, description="the token of the link"),
    "password": Password(required=True),
})
HANDOVER = Schema("PasswordResetLink", {
    "url": Str(required=True, description="the single-use link to hand over"),
    "expires_at": DateTime(required=True),
})


def _address(call: Call) -> str:
    return call.request.client.host if call.request.client else "unknown"


def _parse_time(value: Any) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=clock.UTC)


def reset_url(settings: Settings, token: str) -> str:
    """The SPA's page for a link (static/src/password_reset.js); the token is the fragment, after `#`, so it never
    reaches a server's access log, a proxy's, or another site's Referer."""
    return f"{base_url(settings)[0]}/reset#{token}"


async def make_link(db: Database, settings: Settings, user_id: int, created_by: int | None) -> tuple[str, str]:
    """A new link for the account (inside the caller's transaction): its URL and when it expires (ISO)."""
    token = secrets.token_urlsafe(32)
    now = clock.now()
    row = await db.fetch_one("accounts.reset.insert", user_id=user_id, token_hash=hash_token(token),
                             created_by=created_by, now=now,
                             expires_at=now + dt.timedelta(minutes=settings.password_reset_minutes))
    assert row is not None  # INSERT ... RETURNING answers its row
    return reset_url(settings, token), clock.iso(_parse_time(row["expires_at"]))


async def check_request_limits(db: Database, email: str, address: str) -> None:
    """429 with Retry-After while the email or the address has asked too often within the window."""
    now = clock.now()
    row = await db.fetch_one("accounts.reset.request_blocks", email=email, address=address, since=now - REQUEST_WINDOW,
                             email_offset=EMAIL_REQUESTS - 1, address_offset=ADDRESS_REQUESTS - 1) or {}
    blocks = [_parse_time(value) for value in (row.get("email_block"), row.get("address_block")) if value]
    if blocks:
        wait = max(blocks) + REQUEST_WINDOW - now  # the block lifts when the Nth newest request leaves the window
        raise ApiError(429, "too many password-reset requests; try again later",
                       headers={"Retry-After": str(max(1, math.ceil(wait.total_seconds())))})


def reset_mail(settings: Settings, name: str, url: str) -> tuple[str, str, str]:
    """Subject, plain text and HTML of the mail that carries a link."""
    minutes = settings.password_reset_minutes
    subject = "Set a new password for Elior"
    text = (f"Hello {name},\n\nsomeone (we hope you) asked to set a new password for your Elior account.\n"
            f"Open this link within {minutes} minutes to choose one; it works once:\n\n{url}\n\n"
            "If you did not ask, ignore this mail: your password stays as it is.\n")
    safe_url, safe_name = html.escape(url, quote=True), html.escape(name)
    body = (f"<p>Hello {safe_name},</p><p>someone (we hope you) asked to set a new password for your Elior account. "
            f"Open this link within {minutes} minutes to choose one; it works once:</p>"
            f'<p><a href="{safe_url}">Set a new password</a></p><p>{safe_url}</p>'
            "<p>If you did not ask, ignore this mail: your password stays as it is.</p>")
    return subject, text, f"<!doctype html><html><body>{body}</body></html>"


async def options(call: Call) -> Response:
    """Public: whether a reset can be asked for by mail on this server, and how long a link lasts."""
    return JSONResponse({"mail": mail_enabled(call.settings), "valid_minutes": call.settings.password_reset_minutes})


async def request_reset(call: Call) -> Response:
    """Always 202 with the same body, whether or not an account has the address; with mail on and an active
    account, a mail with a single-use link is queued."""
    email, address = (call.body or {})["email"], _address(call)
    db, settings = call.db, call.settings
    await check_request_limits(db, email, address)
    mail_on = mail_enabled(settings)
    account = await db.fetch_one("accounts.reset.account", email=email)
    now = clock.now()
    async with db.transaction():
        await db.execute("accounts.reset.prune_requests", email=email, address=address, before=now - REQUEST_WINDOW)
        await db.execute("accounts.reset.record_request", email=email, address=address, now=now)
        if account is not None and mail_on:
            url, _ = await make_link(db, settings, account["id"], None)
            await enqueue(db, account["email"], *reset_mail(settings, account["full_name"], url))
    if account is not None and mail_on:
        call.request.app.state.mail.wake()  # after the commit: send now rather than at the next poll
    return JSONResponse({"detail": ACCEPTED, "mail": mail_on}, status_code=202, headers=NO_STORE)


async def confirm_reset(call: Call) -> Response:
    """Sets the password from a link, spends it (and every other link of the account) and ends every login."""
    body = call.body or {}
    db = call.db
    row = await db.fetch_one("accounts.reset.lookup", token_hash=hash_token(body["token"]))
    if row is None:
        raise not_found("password-reset link", "given")
    if not _usable(row):
        raise gone()
    new_hash = await call.request.app.state.passwords.hash(body["password"])
    now = clock.now()
    async with db.transaction():
        if await db.fetch_val("accounts.reset.use", id=row["id"], now=now) is None:
            raise gone()  # another request spent it between the lookup and now
        await db.execute("accounts.auth.set_password", user_id=row["user_id"], password_hash=new_hash, now=now)
        await db.execute("accounts.reset.void_others", user_id=row["user_id"], now=now)
        await db.execute("accounts.auth.revoke_user_logins", user_id=row["user_id"], now=now)
    call.request.app.state.authenticator.forget_sessions()
    return no_content()


def _usable(row: dict[str, Any]) -> bool:
    return row["used_at"] is None and bool(row["is_active"]) and _parse_time(row["expires_at"]) > clock.now()


def gone() -> ApiError:
    return ApiError(410, "this link was already used or has expired; ask for a new one")


async def handover_link(call: Call) -> Response:
    """An admin (anyone) or a trainer (their own clients) makes a link to hand over in person: 201 {url, expires_at}.
    The account's logins go on until the link is used."""
    user_id = call.path_int("id")
    target = await call.db.fetch_one("accounts.reset.handover_target", id=user_id, **call.scope)
    if target is None:
        if await call.db.fetch_one("accounts.users.get", id=user_id, **call.scope) is not None:
            raise forbidden("a trainer makes links for their own clients only; change your own password instead")
        raise not_found("user", user_id)
    if not target["is_active"]:
        raise conflict("the account is deactivated: reactivate it first")
    async with call.db.transaction():
        url, expires_at = await make_link(call.db, call.settings, user_id, call.user.id)
    # The answer is a credential for someone's account: no cache may keep it.
    return JSONResponse({"url": url, "expires_at": expires_at}, status_code=201, headers=NO_STORE)

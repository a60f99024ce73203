"""Accounts: first-start setup, login (JSON and form), refresh, logout, register, me, password change.

A login is one refresh-token family (RFC 9700): its row in `logins` is what access tokens name in `sid`, and its
refresh tokens are stored only as SHA-256 hashes. Each refresh rotates the token; a rotated token presented again
means it leaked, so the whole login is revoked. Failed logins are counted in the database (`login_failures`), so the
limits hold across server processes.

Every failed login is the same 401, whatever failed: an unknown email, a wrong password, or the right password of a
deactivated account (which must not be confirmed to whoever guessed it). Each runs one bcrypt check and counts as a
failure. Token answers are never cached (`Cache-Control: no-store`, RFC 6749 5.1).

Two-factor (elior/accounts/two_factor.py): once the password is right, an account with two-factor on also needs a
`code` (or a `recovery_code`); without one, or with a wrong or replayed one, the answer is 401 with
`detail.code == "two_factor_required"`, and a wrong code counts as a failed login. An account whose role must use
two-factor (REQUIRE_TWO_FACTOR) and has not enrolled gets 403 `two_factor_enrolment_required` with an enrolment
token that only the two-factor routes accept.
"""
from __future__ import annotations

import datetime as dt
import logging
import math
from typing import Any

from starlette.responses import Response

from elior import clock
from elior.accounts import bootstrap, two_factor
from elior.accounts.invites import check_invite, claim_invite
from elior.accounts.users import USER, fetch_user, insert_user, user_json
from elior.db.database import Database
from elior.ops import metrics
from elior.settings import Settings
from elior.web.errors import ApiError, forbidden, not_found
from elior.web.responses import JSONResponse, created, no_content
from elior.web.routing import Call, read_json
from elior.web.schema import Email, Int, Object, Password, Schema, Str
from elior.web.tokens import NO_STORE, TokenProblem, challenge, hash_token, make_access_token, make_refresh_token

log = logging.getLogger("elior.accounts")

FAILURE_WINDOW = dt.timedelta(minutes=15)
ACCOUNT_FAILURES = 10  # per account within the window (the contract)
ADDRESS_FAILURES = 50  # per client address within the window
LOGIN_REFUSED = "wrong email or password, or the account is deactivated"

# Why a refresh token was refused; each means: sign in again.
REFRESH_UNKNOWN = TokenProblem("unknown", "this refresh token is not one this server issued; sign in again")
REFRESH_EXPIRED = TokenProblem("expired", "this refresh token has expired; sign in again")
REFRESH_REVOKED = TokenProblem("revoked", "this refresh token was revoked (signed out, password changed or account "
                               "deactivated); sign in again")
REFRESH_REUSED = TokenProblem("reused", "this refresh token was already used, so the login it belongs to has been "
                              "ended in case it leaked; sign in again")

# A login password is only compared, never stored: any length is accepted and a wrong one is simply a 401.
LOGIN_PASSWORD = Str(required=True, min_length=1, max_length=1024, strip=False)
# The second factor, when the account has two-factor on: a 6-digit TOTP code, or one of its recovery codes.
SECOND_FACTOR = {
    "code": Str(min_length=6, max_length=12, description="the authenticator app's 6-digit code (two-factor on)"),
    "recovery_code": Str(min_length=8, max_length=40, description="a single-use recovery code, instead of `code`"),
}
LOGIN = Schema("Login", {"email": Email(required=True), "password": LOGIN_PASSWORD, **SECOND_FACTOR})
# OAuth2 password-flow tools post these form fields; `scope` and the client fields are accepted and unused.
LOGIN_FORM = Schema("LoginForm", {
    "username": Email(required=True), "password": LOGIN_PASSWORD, "grant_type": Str(enum=("password",)),
    "scope": Str(max_length=200), "client_id": Str(max_length=200), "client_secret": Str(max_length=200),
    **SECOND_FACTOR,
})
TOKENS = Schema("Tokens", {
    "access_token": Str(required=True), "refresh_token": Str(required=True), "token_type": Str(required=True),
    "expires_in": Int(required=True), "user": Object(schema_=USER, required=True),
})
REFRESH = Schema("Refresh", {"refresh_token": Str(required=True, max_length=2000)})
REGISTER = Schema("Register", {
    "email": Email(required=True), "password": Password(required=True),
    "full_name": Str(required=True, min_length=1, max_length=200),
    "invite_code": Str(nullable=True, max_length=100, description="decides the role and the trainer"),
})
PASSWORD_CHANGE = Schema("PasswordChange", {
    "current_password": Str(required=True, min_length=1, max_length=1024, strip=False),
    "new_password": Password(required=True),
})
SETUP = Schema("Setup", {
    "token": Str(required=True, max_length=500), "email": Email(required=True), "password": Password(required=True),
    "full_name": Str(required=True, min_length=1, max_length=200),
})


def token_answer(body: dict[str, Any], status_code: int = 200) -> JSONResponse:
    """An answer that carries tokens (or ends a setup): no cache, proxy or browser history may keep it."""
    return JSONResponse(body, status_code=status_code, headers=NO_STORE)


def refused_refresh(problem: TokenProblem) -> ApiError:
    return ApiError(401, problem.detail, headers={"WWW-Authenticate": challenge(problem), **NO_STORE})


def _address(call: Call) -> str:
    return call.request.client.host if call.request.client else "unknown"


def _parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


async def check_failure_limits(db: Database, email: str, address: str) -> None:
    """429 with Retry-After while the account or the address has too many recent failures."""
    now = clock.now()
    row = await db.fetch_one("accounts.auth.failure_blocks", email=email, address=address, since=now - FAILURE_WINDOW,
                             account_offset=ACCOUNT_FAILURES - 1, address_offset=ADDRESS_FAILURES - 1) or {}
    blocks = [_parse_time(value) for value in (row.get("account_block"), row.get("address_block")) if value]
    if blocks:
        # The block lifts when the oldest of the last N failures leaves the window.
        wait = max(blocks) + FAILURE_WINDOW - now
        raise ApiError(429, "too many failed logins; try again later",
                       headers={"Retry-After": str(max(1, math.ceil(wait.total_seconds())))})


async def record_failure(db: Database, email: str, address: str) -> None:
    metrics.LOGIN_FAILURES.inc()
    now = clock.now()
    async with db.transaction():
        await db.execute("accounts.auth.prune_failures", email=email, address=address, before=now - FAILURE_WINDOW)
        await db.execute("accounts.auth.record_failure", email=email, address=address, now=now)


async def issue_tokens(db: Database, settings: Settings, *, user_id: int, role: str, login_id: int) -> dict[str, Any]:
    """A fresh access token and refresh token for a login (call inside the caller's transaction)."""
    refresh = make_refresh_token()
    now = clock.now()
    await db.execute("accounts.auth.insert_refresh_token", login_id=login_id, token_hash=hash_token(refresh), now=now,
                     expires_at=now + dt.timedelta(days=settings.refresh_token_expire_days))
    access, lifetime = make_access_token(settings, user_id=user_id, role=role, login_id=login_id)
    return {"access_token": access, "refresh_token": refresh, "token_type": "bearer", "expires_in": lifetime}


async def _read_login(call: Call) -> dict[str, Any]:
    """The JSON body, or the OAuth2 password-flow form (`username` is the email)."""
    request = call.request
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        async with request.form(max_files=0, max_fields=10, max_part_size=4096) as form:
            values = LOGIN_FORM.validate(dict(form.items()))
        return {"email": values["username"], "password": values["password"], "code": values.get("code"),
                "recovery_code": values.get("recovery_code")}
    return LOGIN.validate(await read_json(request, call.settings.max_json_kb * 1024))


async def login(call: Call) -> Response:
    """Email and password for a token pair. Wrong email and wrong password are the same 401."""
    credentials = await _read_login(call)
    email, address = credentials["email"], _address(call)
    await check_failure_limits(call.db, email, address)
    account = await call.db.fetch_one("accounts.auth.user_for_login", email=email)
    passwords = call.request.app.state.passwords
    # With no account, verify() checks a decoy hash: an unknown email costs the same time as a wrong password. A
    # deactivated account's hash is checked too, and whatever the outcome it is the same refusal.
    matched = await passwords.verify(credentials["password"], account["password_hash"] if account else None)
    if not matched or account is None or not account["is_active"]:
        await record_failure(call.db, email, address)
        raise ApiError(401, LOGIN_REFUSED, headers={"WWW-Authenticate": "Bearer"})
    await two_factor.check_login(call.db, call.settings, account, credentials,
                                 on_failure=lambda: record_failure(call.db, email, address))
    if passwords.needs_rehash(account["password_hash"]):
        await _upgrade_hash(call, account, credentials["password"])
    async with call.db.transaction():
        login_id = await call.db.fetch_val("accounts.auth.create_login", user_id=account["id"], now=clock.now(),
                                           user_agent=call.request.headers.get("user-agent", "")[:300],
                                           address=address)
        tokens = await issue_tokens(call.db, call.settings, user_id=account["id"], role=account["role"],
                                    login_id=login_id)
    user = await fetch_user(call.db, account["id"], account["id"], account["role"])
    return token_answer({**tokens, "user": user_json(user or {})})


async def _upgrade_hash(call: Call, account: dict[str, Any], password: str) -> None:
    """An earlier version's plain bcrypt (or another cost): the password is at hand only at a login, so rehash it
    now. With the hashing queue full, the login still succeeds and the upgrade waits for the next one."""
    try:
        new_hash = await call.request.app.state.passwords.hash(password)
    except ApiError:
        return
    await call.db.execute("accounts.auth.upgrade_password", user_id=account["id"], password_hash=new_hash,
                          old_hash=account["password_hash"])


async def refresh(call: Call) -> Response:
    """A refresh token for a new pair; the old one is dead from then on, and presenting it again ends the login."""
    presented = (call.body or {})["refresh_token"]
    row = await call.db.fetch_one("accounts.auth.refresh_lookup", token_hash=hash_token(presented))
    if row is None:
        raise refused_refresh(REFRESH_UNKNOWN)
    if row["revoked_at"] is not None or not row["is_active"]:
        raise refused_refresh(REFRESH_REVOKED)
    now = clock.now()
    if row["rotated_at"] is None and _parse_time(row["expires_at"]) <= now:
        raise refused_refresh(REFRESH_EXPIRED)
    async with call.db.transaction():
        rotated = row["rotated_at"] is None and await call.db.fetch_val(
            "accounts.auth.rotate_refresh_token", id=row["id"], now=now) is not None
        tokens = await issue_tokens(call.db, call.settings, user_id=row["user_id"], role=row["role"],
                                    login_id=row["login_id"]) if rotated else None
    if tokens is None:
        await revoke_login(call, row["login_id"])
        log.warning("refresh token reused: login revoked", extra={"login_id": row["login_id"],
                                                                  "user_id": row["user_id"]})
        raise refused_refresh(REFRESH_REUSED)
    user = await fetch_user(call.db, row["user_id"], row["user_id"], row["role"])
    return token_answer({**tokens, "user": user_json(user or {})})


async def revoke_login(call: Call, login_id: int) -> None:
    await call.db.execute("accounts.auth.revoke_login", login_id=login_id, now=clock.now())
    # Logins are cached per process for a few seconds; this process forgets them now.
    call.request.app.state.authenticator.forget_sessions()


async def logout(call: Call) -> Response:
    """Ends this login: its access tokens and refresh tokens stop working at once."""
    await revoke_login(call, call.user.login_id)
    return no_content()


async def me(call: Call) -> Response:
    """The caller's own User, from the row the sign-in check has just read (elior/web/auth.py): the same columns
    (sql/shared/user_columns.sql) of the same user, so one statement, not two. Like the caller's role, it is at most
    the sign-in cache's few seconds old after a write through another process; this process forgets it at once."""
    return JSONResponse(user_json(call.user.row))


async def change_password(call: Call) -> Response:
    """Needs the current password; ends every other login of the account."""
    body = call.body or {}
    email, address = call.user.email, _address(call)
    # A stolen access token must not become a way to guess the password: wrong guesses count as failed logins.
    await check_failure_limits(call.db, email, address)
    passwords = call.request.app.state.passwords
    current_hash = await call.db.fetch_val("accounts.auth.password_hash", user_id=call.user.id)
    if not await passwords.verify(body["current_password"], current_hash):
        await record_failure(call.db, email, address)
        raise forbidden("the current password is wrong")
    new_hash = await passwords.hash(body["new_password"])
    now = clock.now()
    async with call.db.transaction():
        await call.db.execute("accounts.auth.set_password", user_id=call.user.id, password_hash=new_hash, now=now)
        await call.db.execute("accounts.auth.revoke_other_logins", user_id=call.user.id, login_id=call.user.login_id,
                              now=now)
    call.request.app.state.authenticator.forget_sessions()
    return no_content()


async def register(call: Call) -> Response:
    """With an invite (which decides role and trainer), or as an unassigned client when ALLOW_REGISTRATION is on."""
    body = call.body or {}
    code = body.get("invite_code")
    invite = await check_invite(call.db, code, body["email"]) if code else None
    if invite is None and not call.settings.allow_registration:
        raise forbidden("registration needs an invite code")
    password_hash = await call.request.app.state.passwords.hash(body["password"])
    async with call.db.transaction():
        role, trainer_id = "client", None
        if invite is not None:
            claimed = await claim_invite(call.db, invite)
            role, trainer_id = claimed["role"], claimed["trainer_id"]
        user_id = await insert_user(call.db, email=body["email"], password_hash=password_hash,
                                    full_name=body["full_name"], role=role, trainer_id=trainer_id)
        if code:
            await call.db.execute("accounts.invites.mark_used_by", code=code, user_id=user_id)
    row = await fetch_user(call.db, user_id, user_id, role)
    return created(user_json(row or {}))


async def setup(call: Call) -> Response:
    """First start: the one-time token from the server's log creates the first admin."""
    body = call.body or {}
    if await bootstrap.admin_exists(call.db):
        raise not_found("setup", "token")
    await bootstrap.check_setup_token(call.db, body["token"])  # a wrong token costs no bcrypt work
    passwords = call.request.app.state.passwords
    user_id = await bootstrap.create_admin(call.db, passwords, email=body["email"], password=body["password"],
                                           full_name=body["full_name"], only_if_first=True, setup_token=body["token"])
    if user_id is None:
        raise not_found("setup", "token")
    row = await fetch_user(call.db, user_id, user_id, "admin")
    return token_answer(user_json(row or {}), 201)

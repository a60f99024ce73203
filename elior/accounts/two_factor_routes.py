"""The two-factor routes: status, enrol, confirm, new recovery codes, turn off. Spliced into the one route table
(elior/routes.py) as `*two_factor_routes.ROUTES`.

Enrolling and confirming are open to a signed-in caller and to the holder of an enrolment token (what login hands a
user whose role must use two-factor and who has none yet, elior/accounts/two_factor.py), so they are declared
public and decide the caller here: no valid bearer of either kind is a 401. Confirming with an enrolment token also
signs the user in (the password and a code were both just proven), so the first code is not spent twice. Every
wrong code counts as a failed login of the account (the login rate limit, elior/accounts/auth.py).
"""
from __future__ import annotations

from starlette.responses import Response
from starlette.routing import BaseRoute

from elior import clock
from elior.accounts import two_factor
from elior.accounts.auth import check_failure_limits, issue_tokens, record_failure, token_answer
from elior.accounts.users import USER, fetch_user, user_json
from elior.web.auth import bearer_token
from elior.web.errors import ApiError, conflict, forbidden, invalid
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import PUBLIC, SIGNED_IN, Call, api
from elior.web.schema import Array, Bool, Int, Object, Schema, Str
from elior.web.tokens import unauthorized

CODE = Str(required=True, min_length=6, max_length=12, description="the authenticator app's 6-digit code")
STATUS = Schema("TwoFactorStatus", {
    "enabled": Bool(required=True, description="login needs a code"),
    "pending": Bool(required=True, description="an enrolment was started and not confirmed"),
    "required": Bool(required=True, description="the studio requires two-factor for this role (REQUIRE_TWO_FACTOR)"),
    "recovery_codes_left": Int(required=True, minimum=0),
})
ENROLMENT = Schema("TwoFactorEnrolment", {
    "secret": Str(required=True, max_length=64, description="the TOTP secret (base32), for apps that cannot scan"),
    "otpauth_url": Str(required=True, max_length=1000, description="otpauth://totp/... (what the QR code holds)"),
    "qr_svg": Str(required=True, max_length=200_000, description="the QR code as an SVG document, made by the "
                  "server"),
})
CONFIRM = Schema("TwoFactorConfirm", {"code": CODE})
RECOVERY = Schema("TwoFactorRecoveryCodes", {
    "recovery_codes": Array(items=Str(), min_items=10, max_items=10, required=True,
                            description="ten single-use codes, shown this once"),
    # With an enrolment token, confirming also signs in: the token pair of TOKENS.
    "access_token": Str(), "refresh_token": Str(), "token_type": Str(), "expires_in": Int(),
    "user": Object(schema_=USER),
})
DISABLE = Schema("TwoFactorDisable", {
    "code": Str(min_length=6, max_length=12, description="a current code; or"),
    "password": Str(min_length=1, max_length=1024, strip=False, description="the account's password"),
})


async def _enrolling(call: Call) -> two_factor.Enrolling:
    """The signed-in caller, or the user of an enrolment token; 401 otherwise."""
    if call.user.is_authenticated:
        return two_factor.Enrolling(call.user.id, call.user.email, call.user.role, call.user.login_id)
    token = bearer_token(call.request)
    user_id = two_factor.enrolment_user_id(call.settings, token) if token else None
    row = await call.db.fetch_one("accounts.two_factor.login_user", user_id=user_id) if user_id else None
    if row is None:
        raise unauthorized(getattr(call.user, "token_problem", None) if not token else None,
                           "sign in first, or send the enrolment token the login answered as the bearer token")
    return two_factor.Enrolling(int(row["id"]), row["email"], row["role"], None)


def _address(call: Call) -> str:
    return call.request.client.host if call.request.client else "unknown"


async def status(call: Call) -> Response:
    """Whether two-factor is on for the caller, required for their role, and how many recovery codes are left."""
    row = await call.db.fetch_one("accounts.two_factor.get", user_id=call.user.id)
    left = await call.db.fetch_val("accounts.two_factor.recovery_codes_left", user_id=call.user.id)
    return JSONResponse({"enabled": bool(row and row["enabled_at"]), "pending": bool(row and not row["enabled_at"]),
                         "required": two_factor.is_required(call.settings, call.user.role),
                         "recovery_codes_left": int(left or 0)}, headers={"Cache-Control": "no-store"})


async def enrol(call: Call) -> Response:
    """Start (or restart) an enrolment: a new secret, as text, as an otpauth URL and as a QR code. Login does not
    ask for codes until a code confirms it."""
    who = await _enrolling(call)
    secret = two_factor.new_secret()
    async with call.db.transaction():
        started = await call.db.fetch_val("accounts.two_factor.start", user_id=who.id, now=clock.now(),
                                          secret=two_factor.seal(call.settings, who.id, secret))
    if started is None:
        raise conflict("two-factor is already on; turn it off first to enrol another device")
    url = two_factor.otpauth_url(secret, who.email)
    return token_answer({"secret": secret, "otpauth_url": url, "qr_svg": two_factor.qr_svg(url)}, 201)


async def confirm(call: Call) -> Response:
    """A code from the app turns two-factor on; the answer holds ten recovery codes, shown this once."""
    who = await _enrolling(call)
    address = _address(call)
    await check_failure_limits(call.db, who.email, address)
    row = await call.db.fetch_one("accounts.two_factor.get", user_id=who.id)
    if row is None:
        raise conflict("no enrolment was started: POST /api/auth/two-factor first")
    if row["enabled_at"] is not None:
        raise conflict("two-factor is already on")
    async with call.db.transaction():
        accepted = await two_factor.accept_code(call.db, call.settings, who.id, (call.body or {})["code"],
                                                enabled=False)
        if accepted:
            await call.db.fetch_val("accounts.two_factor.enable", user_id=who.id, now=clock.now())
            codes = await two_factor.store_recovery_codes(call.db, who.id)
    if not accepted:
        await record_failure(call.db, who.email, address)
        raise invalid(("body", "code"), "is not the current code of this enrolment", "value_error.code")
    answer: dict[str, object] = {"recovery_codes": codes}
    if who.login_id is None:  # an enrolment token: sign in now
        async with call.db.transaction():
            login_id = await call.db.fetch_val("accounts.auth.create_login", user_id=who.id, now=clock.now(),
                                               user_agent=call.request.headers.get("user-agent", "")[:300],
                                               address=address)
            answer.update(await issue_tokens(call.db, call.settings, user_id=who.id, role=who.role,
                                             login_id=login_id))
        answer["user"] = user_json(await fetch_user(call.db, who.id, who.id, who.role) or {})
    return token_answer(answer)


async def new_recovery_codes(call: Call) -> Response:
    """A current code for ten new recovery codes; the old ones stop working."""
    address = _address(call)
    await check_failure_limits(call.db, call.user.email, address)
    async with call.db.transaction():
        accepted = await two_factor.accept_code(call.db, call.settings, call.user.id, (call.body or {})["code"])
        codes = await two_factor.store_recovery_codes(call.db, call.user.id) if accepted else []
    if not accepted:
        await record_failure(call.db, call.user.email, address)
        raise forbidden("the code is wrong, expired or already used, or two-factor is off")
    return token_answer({"recovery_codes": codes})


async def disable(call: Call) -> Response:
    """Turn two-factor off with a current code or the password. Not for a role the studio requires it of."""
    body = call.body or {}
    if not body.get("code") and not body.get("password"):
        raise invalid(("body",), "send a current `code` or the account's `password`", "value_error.missing")
    if two_factor.is_required(call.settings, call.user.role):
        raise forbidden(f"the studio requires two-factor for the role {call.user.role}")
    address = _address(call)
    await check_failure_limits(call.db, call.user.email, address)
    if await call.db.fetch_one("accounts.two_factor.get", user_id=call.user.id) is None:
        raise ApiError(404, "two-factor is not on for this account")
    if body.get("code"):
        proven = await two_factor.accept_code(call.db, call.settings, call.user.id, body["code"])
    else:
        current_hash = await call.db.fetch_val("accounts.auth.password_hash", user_id=call.user.id)
        proven = await call.request.app.state.passwords.verify(body["password"], current_hash)
    if not proven:
        await record_failure(call.db, call.user.email, address)
        raise forbidden("the code or the password is wrong")
    async with call.db.transaction():
        await call.db.execute("accounts.two_factor.recovery_codes_clear", user_id=call.user.id)
        await call.db.fetch_val("accounts.two_factor.disable", user_id=call.user.id)
    return no_content()


TAGS = ("auth",)
ROUTES: list[BaseRoute] = [
    api("GET", "/api/auth/two-factor", status, access=SIGNED_IN, response=STATUS, tags=TAGS),
    api("POST", "/api/auth/two-factor", enrol, access=PUBLIC, response=ENROLMENT, status=201, tags=TAGS,
        responses={401: "Neither signed in nor an enrolment token", 409: "Two-factor is already on"}),
    api("POST", "/api/auth/two-factor/confirm", confirm, access=PUBLIC, body=CONFIRM, response=RECOVERY, tags=TAGS,
        responses={401: "Neither signed in nor an enrolment token", 409: "No enrolment pending, or already on",
                   422: "Not the current code", 429: "Too many failed attempts"}),
    api("POST", "/api/auth/two-factor/recovery-codes", new_recovery_codes, access=SIGNED_IN, body=CONFIRM,
        response=RECOVERY, tags=TAGS, responses={403: "Wrong code, or two-factor off", 429: "Too many failures"}),
    api("DELETE", "/api/auth/two-factor", disable, access=SIGNED_IN, body=DISABLE, status=204, tags=TAGS,
        responses={403: "Wrong code or password, or required for the role", 404: "Two-factor is not on",
                   429: "Too many failed attempts"}),
]

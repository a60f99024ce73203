"""Two-factor sign-in: TOTP codes (RFC 6238, pyotp), single-use recovery codes, and the enrolment token.

- The secret is stored sealed with AES-256-GCM under FILE_ENCRYPTION_KEY when that is set (`aesgcm:` and base64 of
  nonce + ciphertext, the user id as associated data so a sealed secret cannot be moved to another account), and as
  itself (`plain:`) when it is not: the key lives outside the database, so a stolen database alone does not yield
  the secrets. A sealed secret with the key gone cannot be read: that user's codes fail until an admin resets them.
- A code is accepted for the current 30-second step and one step either side (clock drift), and only for a step
  later than the last one accepted (`two_factor.last_step`): a code cannot be used twice, not even within its window.
- Recovery codes are 80 random bits each, shown once and kept as SHA-256 (as refresh tokens are: random enough that
  a plain hash cannot be reversed), each usable once.
- A user whose role must use two-factor (REQUIRE_TWO_FACTOR) and has none gets, at login, an enrolment token instead
  of a session: a JWT of its own type (`typ: two_factor_enrolment`, 10 minutes), which the authentication middleware
  refuses like any token that is not an access token, and which only the enrolment routes read
  (elior/accounts/two_factor_routes.py).
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import io
import os
import secrets
import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import jwt
import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from elior import clock
from elior.db.database import Database
from elior.media.crypto import parse_key
from elior.settings import Settings
from elior.web.errors import ApiError

STEP_SECONDS = 30  # RFC 6238's default, what every authenticator app assumes
DRIFT_STEPS = 1  # a code of the previous or the next step is still accepted
RECOVERY_CODES = 10
ENROLMENT_TYPE = "two_factor_enrolment"
ENROLMENT_MINUTES = 10
ISSUER = "Elior"
ROLES = ("admin", "trainer", "client")
_AAD = b"elior two-factor secret\x00"
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a sheet of paper


def required_roles(settings: Settings) -> frozenset[str]:
    """The roles REQUIRE_TWO_FACTOR names (unknown names are ignored: no account has them)."""
    return frozenset(role.strip().lower() for role in settings.require_two_factor) & frozenset(ROLES)


def is_required(settings: Settings, role: str) -> bool:
    return role in required_roles(settings)


# --- the secret, at rest ---

def seal(settings: Settings, user_id: int, secret: str) -> str:
    if not settings.file_encryption_key:
        return "plain:" + secret
    nonce = os.urandom(12)
    key = parse_key(settings.file_encryption_key)
    sealed = AESGCM(key).encrypt(nonce, secret.encode(), _AAD + str(user_id).encode())
    return "aesgcm:" + base64.b64encode(nonce + sealed).decode()


def unseal(settings: Settings, user_id: int, stored: str) -> str | None:
    """The secret, or None when it cannot be read (sealed, and the key is unset or another one)."""
    kind, _, value = stored.partition(":")
    if kind == "plain":
        return value
    if kind != "aesgcm" or not settings.file_encryption_key:
        return None
    raw = base64.b64decode(value)
    try:
        return AESGCM(parse_key(settings.file_encryption_key)).decrypt(
            raw[:12], raw[12:], _AAD + str(user_id).encode()).decode()
    except InvalidTag:
        return None


# --- codes ---

def current_step(at: dt.datetime | None = None) -> int:
    return int((at or clock.now()).timestamp()) // STEP_SECONDS


def matching_step(secret: str, code: str, at: dt.datetime | None = None) -> int | None:
    """The time-step `code` belongs to, within the drift allowed around now (elior.clock), or None."""
    code = code.strip().replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    now = current_step(at)
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, RFC 4226's recommended length


def otpauth_url(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(url: str) -> str:
    """The otpauth URL as an SVG QR code, made here (segno): the secret never goes to an outside service."""
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, border=4, xmldecl=False, svgns=True, nl=False,
                                    title="Two-factor enrolment QR code")
    return out.getvalue().decode()


def new_recovery_codes() -> list[str]:
    """Ten codes like `k7m2-x9qa-3tpw-h4nz` (16 symbols of 31: 79 bits each)."""
    codes = []
    for _ in range(RECOVERY_CODES):
        symbols = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(16))
        codes.append("-".join(symbols[i:i + 4] for i in range(0, 16, 4)))
    return codes


def hash_recovery_code(code: str) -> str:
    normal = code.strip().lower().replace("-", "").replace(" ", "")
    return hashlib.sha256(b"elior recovery code\x00" + normal.encode()).hexdigest()


async def store_recovery_codes(db: Database, user_id: int) -> list[str]:
    """Replace the user's recovery codes with ten new ones (call inside a transaction); the codes, shown once."""
    codes = new_recovery_codes()
    now = clock.now()
    await db.execute("accounts.two_factor.recovery_codes_clear", user_id=user_id)
    for code in codes:
        await db.execute("accounts.two_factor.recovery_code_insert", user_id=user_id,
                         code_hash=hash_recovery_code(code), now=now)
    return codes


async def enabled_secret(db: Database, settings: Settings, user_id: int) -> str | None | bool:
    """The user's secret when two-factor is on; False when it is off; None when on but unreadable."""
    row = await db.fetch_one("accounts.two_factor.get", user_id=user_id)
    if row is None or row["enabled_at"] is None:
        return False
    return unseal(settings, user_id, row["secret"])


async def accept_code(db: Database, settings: Settings, user_id: int, code: str, *, enabled: bool = True) -> bool:
    """Whether `code` is a good TOTP code of the user's secret not used before; accepting it spends its step."""
    row = await db.fetch_one("accounts.two_factor.get", user_id=user_id)
    if row is None or (row["enabled_at"] is not None) != enabled:
        return False
    secret = unseal(settings, user_id, row["secret"])
    step = matching_step(secret, code) if secret else None
    if step is None:
        return False
    return await db.fetch_val("accounts.two_factor.use_step", user_id=user_id, step=step,
                              enabled=1 if enabled else 0) is not None


async def accept_recovery_code(db: Database, user_id: int, code: str) -> bool:
    return await db.fetch_val("accounts.two_factor.recovery_code_use", user_id=user_id,
                              code_hash=hash_recovery_code(code), now=clock.now()) is not None


async def verify_second_factor(db: Database, settings: Settings, user_id: int, code: str | None,
                               recovery_code: str | None) -> bool:
    """A login's second factor: a TOTP code, or else a recovery code."""
    if code:
        return await accept_code(db, settings, user_id, code)
    if recovery_code:
        return await accept_recovery_code(db, user_id, recovery_code)
    return False


async def check_login(db: Database, settings: Settings, account: dict[str, Any], credentials: dict[str, Any], *,
                      on_failure: Callable[[], Awaitable[None]]) -> None:
    """After the right password (elior/accounts/auth.py login): the TOTP or recovery code when two-factor is on, the
    enrolment token when the role requires two-factor and it is off. Returns when the login may go on; a wrong code
    calls `on_failure` (a failed login) first."""
    secret = await enabled_secret(db, settings, account["id"])
    if secret is False:
        if is_required(settings, account["role"]):
            token, lifetime = make_enrolment_token(settings, account["id"], account["role"])
            raise refusal(403, "two_factor_enrolment_required", "this account must turn on two-factor before it "
                          "signs in: send the enrolment token as the bearer token to POST /api/auth/two-factor, then "
                          "confirm a code", enrolment_token=token, expires_in=lifetime)
        return
    code, recovery = credentials.get("code"), credentials.get("recovery_code")
    if not code and not recovery:
        raise refusal(401, "two_factor_required", "this account uses two-factor: send the authenticator app's "
                      "`code` (or a `recovery_code`) with the password")
    if not await verify_second_factor(db, settings, account["id"], code, recovery):
        await on_failure()
        raise refusal(401, "two_factor_required", "the two-factor code is wrong, expired or already used; wait for "
                      "the next code and try again")


# --- the enrolment token ---

@dataclass(frozen=True)
class Enrolling:
    """Who the two-factor routes act for: a signed-in caller, or the holder of an enrolment token (login_id None)."""

    id: int
    email: str
    role: str
    login_id: int | None


def make_enrolment_token(settings: Settings, user_id: int, role: str) -> tuple[str, int]:
    issued = clock.now()
    lifetime = ENROLMENT_MINUTES * 60
    claims = {"sub": str(user_id), "role": role, "iat": int(issued.timestamp()),
              "exp": int(issued.timestamp()) + lifetime, "jti": uuid.uuid4().hex, "typ": ENROLMENT_TYPE}
    return jwt.encode(claims, settings.secret_key, algorithm=settings.algorithm), lifetime


def enrolment_user_id(settings: Settings, token: str) -> int | None:
    """The user an unexpired enrolment token names (None for anything else, an access token included)."""
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[settings.algorithm],
                            options={"require": ["sub", "exp", "iat", "typ"]})
    except jwt.PyJWTError:
        return None
    if claims.get("typ") != ENROLMENT_TYPE or not str(claims.get("sub", "")).isdigit():
        return None
    return int(claims["sub"])


def refusal(status: int, code: str, message: str, **extra: Any) -> ApiError:
    """An error in the contract's envelope whose `detail` is an object (the envelope allows one) with a machine-readable
    `code` (`two_factor_required`, `two_factor_enrolment_required`), the `message` for people, and `extra`."""
    headers = {"Cache-Control": "no-store", **({"WWW-Authenticate": "Bearer"} if status == 401 else {})}
    return ApiError(status, {"code": code, "message": message, **extra}, headers=headers)

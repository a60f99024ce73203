"""Access tokens (JWT) and refresh tokens (random, stored only as a hash), and how a refused token is answered.

A 401 says why, in the envelope's detail and in `WWW-Authenticate` (RFC 6750 3): no token gives a bare `Bearer`
challenge (section 3.1: no error code when the request had no credentials); a token that was sent gives
`error="invalid_token"` and a description that tells expired (refresh it) from revoked or malformed (sign in again).
Token answers carry `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 5.1).

Access tokens signed with HMAC (HS256, the default; HS384, HS512) are verified here with `hmac` and `orjson` rather
than `jwt.decode`: the same checks (the signature under the pinned algorithm, then the header's `alg`, the required
claims, `iat`, `nbf`, `exp`, `aud`, the types of `sub` and `jti`, then `typ`), ~9 us against ~42 us for pyjwt
(min of 9 repeats), a sixth of what `GET /api/auth/me` cost the app; a token spelt as this server spells it (unpadded
signature, the header it signs) is checked without decoding either. The signature is checked before the header or
the claims are parsed, so nothing of an unsigned token is ever read as JSON. Other algorithms go through pyjwt as
before. tests/web/test_tokens.py holds the two to the same answers, token by token.
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any

import jwt
import orjson

from elior import clock
from elior.settings import Settings
from elior.web.errors import ApiError

ACCESS = "access"
REQUIRED_CLAIMS = ("sub", "exp", "iat", "jti", "typ", "sid", "role")
_HMAC = {"HS256": hashlib.sha256, "HS384": hashlib.sha384, "HS512": hashlib.sha512}
NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}
SIGN_IN = "sign in first: send Authorization: Bearer <access token>"


@dataclass(frozen=True)
class TokenProblem:
    """Why a presented token was refused. `detail` is ASCII without quotes or backslashes, as RFC 6750 3 asks of
    error_description."""

    reason: str  # expired, revoked or malformed
    detail: str


EXPIRED = TokenProblem("expired", "the access token has expired; get a new one with POST /api/auth/refresh")
REVOKED = TokenProblem("revoked", "the access token was revoked (signed out, password changed, account deactivated "
                       "or removed); sign in again")
MALFORMED = TokenProblem("malformed", "the access token is malformed or was not issued by this server; sign in again")


class TokenError(Exception):
    def __init__(self, message: str, problem: TokenProblem = MALFORMED) -> None:
        super().__init__(message)
        self.problem = problem


def unauthorized(problem: TokenProblem | None, detail: str = SIGN_IN) -> ApiError:
    """The 401 of a route that needs a signed-in caller: `problem` None means no token was sent at all."""
    if problem is None:
        return ApiError(401, detail, headers={"WWW-Authenticate": "Bearer"})
    return ApiError(401, problem.detail, headers={"WWW-Authenticate": challenge(problem)})


def challenge(problem: TokenProblem) -> str:
    return f'Bearer error="invalid_token", error_description="{problem.detail}"'


def make_access_token(settings: Settings, *, user_id: int, role: str, login_id: int) -> tuple[str, int]:
    """A signed JWT and its lifetime in seconds. `sid` names the login, whose revocation ends the token."""
    issued = clock.now()
    lifetime = settings.access_token_expire_minutes * 60
    claims = {
        "sub": str(user_id),
        "role": role,
        "sid": login_id,
        "iat": int(issued.timestamp()),
        "exp": int((issued + dt.timedelta(seconds=lifetime)).timestamp()),
        "jti": uuid.uuid4().hex,
        "typ": ACCESS,
    }
    return jwt.encode(claims, settings.secret_key, algorithm=settings.algorithm), lifetime


def decode_access_token(settings: Settings, token: str) -> dict[str, Any]:
    """The claims of a valid access token; anything else (expired, tampered, `alg: none`, a refresh token) raises."""
    digest = _HMAC.get(settings.algorithm)
    if digest is None:
        claims = _decode_with_pyjwt(settings, token)
    else:
        claims = _verify_hmac(token, settings.secret_key, settings.algorithm, digest)
    if claims.get("typ") != ACCESS:
        raise TokenError("not an access token")
    return claims


_BASE64URL = re.compile(rb"[A-Za-z0-9_-]*")


def _b64encode(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


# The header segment of the tokens this server signs (pyjwt writes {"alg": ..., "typ": "JWT"}, keys sorted, no
# spaces): a token that carries it exactly needs no header parsed. tests/web/test_tokens.py pins it to pyjwt's.
SIGNED_HEADERS = {algorithm: _b64encode(orjson.dumps({"alg": algorithm, "typ": "JWT"})) for algorithm in _HMAC}


def _b64decode(segment: bytes) -> bytes:
    """base64url as pyjwt 2.15 reads a segment: up to two `=` of padding, the alphabet only, canonical (a segment
    that another encoding of the same bytes would spell differently is refused)."""
    stripped = segment.rstrip(b"=")
    padding = len(segment) - len(stripped)
    if padding > 2 or (padding and len(segment) % 4) or len(stripped) % 4 == 1 \
            or not _BASE64URL.fullmatch(stripped):
        raise ValueError("invalid base64url segment")
    decoded = base64.urlsafe_b64decode(stripped + b"=" * (-len(stripped) % 4))
    if _b64encode(decoded) != stripped:
        raise ValueError("non-canonical base64url segment")
    return decoded


def _verify_hmac(token: str, secret: str, algorithm: str, digest: Any) -> dict[str, Any]:
    """`jwt.decode(token, secret, algorithms=[algorithm], options={"require": REQUIRED_CLAIMS})` for an HMAC
    algorithm, check for check (pyjwt 2.15's api_jws + api_jwt), less its generic machinery."""
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError:
        raise TokenError("the token is not ASCII") from None
    if raw.count(b".") != 2:
        raise TokenError("not enough segments" if raw.count(b".") < 2 else "too many segments")
    signing_input, _, signature_segment = raw.rpartition(b".")
    header_segment, _, payload_segment = signing_input.partition(b".")
    try:
        expected = hmac.new(secret.encode(), signing_input, digest).digest()
        # Fast path, the token as this server writes it: the signature compared in its canonical unpadded spelling
        # and the header compared with the one this server signs, neither decoded. Anything else (padding, another
        # header) takes the checks pyjwt makes, so the answers stay pyjwt's (tests/web/test_tokens.py).
        if not hmac.compare_digest(_b64encode(expected), signature_segment) \
                and not hmac.compare_digest(expected, _b64decode(signature_segment)):
            raise TokenError("signature verification failed")
        known_header = header_segment == SIGNED_HEADERS[algorithm]
        header = None if known_header else orjson.loads(_b64decode(header_segment))
        payload = orjson.loads(_b64decode(payload_segment))
    except (binascii.Error, ValueError) as error:  # orjson.JSONDecodeError is a ValueError
        raise TokenError(f"invalid token: {error}") from None
    # This server signs no `crit` or `b64` (RFC 7797) header, and pyjwt refuses a `kid` that is not a string.
    if not known_header and (
            not isinstance(header, dict) or header.get("alg") != algorithm or "crit" in header
            or header.get("b64", True) is False or not isinstance(header.get("kid", ""), str)):
        raise TokenError("the header is not one this server signs")
    if not isinstance(payload, dict):
        raise TokenError("invalid payload: must be a JSON object")
    for claim in REQUIRED_CLAIMS:
        if payload.get(claim) is None:
            raise TokenError(f"the token has no {claim!r} claim")
    now = time.time()
    iat = _int_claim(payload, "iat")
    if iat > now:
        raise TokenError("the token is not yet valid (iat)")
    if "nbf" in payload and _int_claim(payload, "nbf") > now:
        raise TokenError("the token is not yet valid (nbf)")
    if _int_claim(payload, "exp") <= now:
        raise TokenError("Signature has expired", EXPIRED)  # the signature held: this token is ours, only old
    if payload.get("aud"):
        raise TokenError("invalid audience")  # this server names none
    if not isinstance(payload["sub"], str) or not isinstance(payload["jti"], str):
        raise TokenError("sub and jti must be strings")
    return payload


def _int_claim(payload: dict[str, Any], name: str) -> int:
    try:
        return int(payload[name])
    except (ValueError, TypeError, OverflowError):
        raise TokenError(f"the {name} claim must be an integer") from None


def _decode_with_pyjwt(settings: Settings, token: str) -> dict[str, Any]:
    try:
        return jwt.decode(token, settings.secret_key, algorithms=[settings.algorithm],  # type: ignore[no-any-return]
                          options={"require": list(REQUIRED_CLAIMS)})
    except jwt.ExpiredSignatureError as error:  # pyjwt checks the signature first: this token is ours, only old
        raise TokenError(str(error), EXPIRED) from None
    except jwt.PyJWTError as error:
        raise TokenError(str(error)) from None


def make_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Refresh tokens are 256 random bits: a plain SHA-256 is enough and lets the database look them up."""
    return hashlib.sha256(token.encode()).hexdigest()

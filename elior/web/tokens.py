"""Access tokens (JWT) and refresh tokens (random, stored only as a hash), and how a refused token is answered.

A 401 says why, in the envelope's detail and in `WWW-Authenticate` (RFC 6750 3): no token gives a bare `Bearer`
challenge (section 3.1: no error code when the request had no credentials); a token that was sent gives
`error="invalid_token"` and a description that tells expired (refresh it) from revoked or malformed (sign in again).
Token answers carry `Cache-Control: no-store` and `Pragma: no-cache` (RFC 6749 5.1).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass
from typing import Any

import jwt

from elior import clock
from elior.settings import Settings
from elior.web.errors import ApiError

ACCESS = "access"
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
    try:
        claims = jwt.decode(token, settings.secret_key, algorithms=[settings.algorithm],
                            options={"require": ["sub", "exp", "iat", "jti", "typ", "sid", "role"]})
    except jwt.ExpiredSignatureError as error:  # pyjwt checks the signature first: this token is ours, only old
        raise TokenError(str(error), EXPIRED) from None
    except jwt.PyJWTError as error:
        raise TokenError(str(error)) from None
    if claims.get("typ") != ACCESS:
        raise TokenError("not an access token")
    return claims


def make_refresh_token() -> str:
    return "rt_" + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Refresh tokens are 256 random bits: a plain SHA-256 is enough and lets the database look them up."""
    return hashlib.sha256(token.encode()).hexdigest()

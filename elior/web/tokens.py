"""Access tokens (JWT) and refresh tokens (random, stored only as a hash)."""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
from typing import Any

import jwt

from elior import clock
from elior.settings import Settings

ACCESS = "access"


class TokenError(Exception):
    pass


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

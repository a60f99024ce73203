"""Who is calling: a small ASGI authentication backend for HTTP and WebSocket alike.

A missing, expired, garbled or revoked token means anonymous, never an error here: the route's declared access
(`elior.web.routing`) decides whether anonymous may pass. A token is valid while its signature and expiry hold, its
login (`sid`) is not revoked and its user is active. That last check reads the database, fronted by a TTL cache of a
few seconds, so a logout through another process takes effect within that bound (and at once in this one).

An anonymous caller who sent a token carries why it was refused (`Anonymous.token_problem`), so that a route that
needs a signed-in caller answers a 401 that says expired (refresh) or revoked and malformed (sign in again).
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.authentication import AuthCredentials, AuthenticationBackend, BaseUser, UnauthenticatedUser
from starlette.requests import HTTPConnection

from elior.db.database import Database
from elior.ops.cache import TTLCache
from elior.settings import Settings
from elior.web.tokens import EXPIRED, REVOKED, TokenError, TokenProblem, decode_access_token

SESSION_TTL_SECONDS = 5.0
CLAIMS_TTL_SECONDS = 30.0
USER_TTL_SECONDS = 5.0  # `GET /api/users` and `/api/users/{id}` answers (elior.accounts.users); as long as a login's


@dataclass(frozen=True)
class Caller(BaseUser):
    id: int
    role: str
    email: str
    full_name: str
    trainer_id: int | None
    login_id: int
    jti: str
    expires_at: int
    # The whole user row the sign-in check read (sql/shared/user_columns.sql): GET /api/auth/me answers from it
    # instead of reading the same row again. Not compared: two Callers are the same login whatever the row says.
    row: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def display_name(self) -> str:
        return self.full_name

    @property
    def identity(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class Anonymous(UnauthenticatedUser):
    id = None
    role = "anonymous"

    def __init__(self, token_problem: TokenProblem | None = None) -> None:
        self.token_problem = token_problem  # None: no token was sent


class Authenticator(AuthenticationBackend):
    def __init__(self, settings: Settings, db: Database) -> None:
        self.settings = settings
        self.db = db
        scale = settings.cache_ttl_scale  # 0 turns the caches off (benchmarks of the uncached path)
        # Verified token -> claims: pyjwt's HS256 verify costs ~113 us, as much as a whole small request.
        self.claims: TTLCache[dict[str, Any]] = TTLCache(CLAIMS_TTL_SECONDS * scale, max_size=20_000)
        # Login id -> the user behind it, or None when revoked or inactive.
        self.sessions: TTLCache[dict[str, Any] | None] = TTLCache(SESSION_TTL_SECONDS * scale, max_size=20_000)
        # (..., caller id, caller role, what) -> a user or a user list as that caller sees it (elior.accounts.users).
        # Kept here so that the one seam every user write already calls, forget_sessions(), drops it too.
        self.users: TTLCache[dict[str, Any]] = TTLCache(USER_TTL_SECONDS * scale, max_size=20_000)

    async def authenticate(self, conn: HTTPConnection) -> tuple[AuthCredentials, BaseUser] | None:
        token = bearer_token(conn)
        if token is None:
            return AuthCredentials(), Anonymous()
        caller = await self.identify(token)
        if isinstance(caller, TokenProblem):
            return AuthCredentials(), Anonymous(caller)
        return AuthCredentials(["authenticated", caller.role]), caller

    async def caller_for(self, token: str) -> Caller | None:
        caller = await self.identify(token)
        return None if isinstance(caller, TokenProblem) else caller

    async def identify(self, token: str) -> Caller | TokenProblem:
        """The caller a token names, or why it names nobody."""
        claims = self.claims.get(token)
        if claims is None:
            try:
                claims = decode_access_token(self.settings, token)
            except TokenError as error:
                return error.problem
            self.claims.set(token, claims)
        if claims["exp"] <= time.time():
            self.claims.delete(token)
            return EXPIRED
        session = await self.session(int(claims["sid"]))
        if session is None or str(session["id"]) != claims["sub"]:
            return REVOKED
        return Caller(id=session["id"], role=session["role"], email=session["email"],
                      full_name=session["full_name"], trainer_id=session["trainer_id"],
                      login_id=int(claims["sid"]), jti=claims["jti"], expires_at=int(claims["exp"]), row=session)

    async def session(self, login_id: int) -> dict[str, Any] | None:
        cached = self.sessions.get(login_id, default=False)
        if cached is not False:
            return cached  # type: ignore[no-any-return]
        row = await self.db.fetch_one("accounts.auth.session", login_id=login_id)
        self.sessions.set(login_id, row)
        return row

    def forget_sessions(self) -> None:
        """After any write to a user or a login (create, update, delete, deactivation, reassignment, logout, a
        password change): re-read every login and every user next time."""
        self.sessions.clear()
        self.forget_users()

    def forget_users(self) -> None:
        """After a write that changes users but no login (a new user): re-read cached user answers next time."""
        self.users.clear()


def bearer_token(conn: HTTPConnection) -> str | None:
    header = conn.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    if conn.scope["type"] == "websocket":
        # Browsers cannot set headers on a WebSocket handshake, so the contract puts the token in the query.
        return conn.query_params.get("token") or None
    return None

"""The caller's own logins (issue 17): list them, end one, end every other ("sign out everywhere else").

A session is a row of `logins` (elior/accounts/auth.py makes one per sign-in; access tokens name it in `sid`). Ending
one revokes it: its refresh tokens are refused from then on (accounts.auth.refresh_lookup reads the login's
revocation) and its access tokens at once in this process, within SESSION_TTL_SECONDS in others
(elior/web/auth.py), and its open sockets within the hub's CHECK_INTERVAL (elior/live/hub.py).

Last use is tracked at refresh time, at no cost: every refresh writes a new refresh token, so a login's newest
refresh token's `created_at` is its last use (within one access token's lifetime, 15 minutes by default).
"""
from __future__ import annotations

from starlette.responses import Response

from elior import clock
from elior.web.errors import not_found
from elior.web.responses import JSONResponse, no_content
from elior.web.routing import Call
from elior.web.schema import PAGE, Array, Bool, DateTime, Int, Schema, Str

SESSION = Schema("Session", {
    "id": Int(required=True), "created_at": DateTime(required=True),
    "last_used_at": DateTime(required=True, description="the last sign-in or token refresh of this login"),
    "address": Str(required=True, nullable=True, description="the client address it signed in from"),
    "user_agent": Str(required=True, nullable=True, description="the browser or tool it signed in with"),
    "current": Bool(required=True, description="the login of the token making this request"),
})
SESSION_QUERY = Schema("SessionQuery", dict(PAGE))
SESSION_PAGE = Schema("SessionPage", {
    "items": Array(items=SESSION, required=True), "total": Int(required=True), "limit": Int(required=True),
    "offset": Int(required=True),
})


async def list_sessions(call: Call) -> Response:
    """The caller's live logins, most recently used first; `current` marks the one asking."""
    query, now = call.query, clock.now()
    rows = await call.db.fetch_all("accounts.sessions.list", caller_id=call.user.id, now=now, limit=query["limit"],
                                   offset=query["offset"])
    total = await call.db.fetch_val("accounts.sessions.count", caller_id=call.user.id, now=now)
    items = [{"id": row["id"], "created_at": row["created_at"], "last_used_at": row["last_used_at"],
              "address": row["address"], "user_agent": row["user_agent"],
              "current": row["id"] == call.user.login_id} for row in rows]
    return JSONResponse({"items": items, "total": int(total or 0), "limit": query["limit"], "offset": query["offset"]})


async def end_session(call: Call) -> Response:
    """Ends one of the caller's own logins (the current one too: that is a logout). Another's: 404."""
    login_id = call.path_int("id")
    if await call.db.fetch_val("accounts.sessions.end", id=login_id, caller_id=call.user.id,
                               now=clock.now()) is None:
        raise not_found("session", login_id)
    call.request.app.state.authenticator.forget_sessions()
    return no_content()


async def end_other_sessions(call: Call) -> Response:
    """Every login of the caller's but the one asking ends."""
    await call.db.fetch_all("accounts.sessions.end_others", caller_id=call.user.id, login_id=call.user.login_id,
                            now=clock.now())
    call.request.app.state.authenticator.forget_sessions()
    return no_content()

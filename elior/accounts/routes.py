"""The accounts routes of issue 17, each declaring who may call it; elior/routes.py splices ROUTES into the one
route table as `*account_routes.ROUTES`: password reset (by mail, and a link an admin or trainer hands over), the
caller's own sessions, and the studio's language. The older accounts routes (login, users, invites) stay in
elior/routes.py itself.
"""
from __future__ import annotations

from starlette.routing import BaseRoute

from elior.accounts import languages, reset, sessions
from elior.web.routing import PUBLIC, SIGNED_IN, api, roles

ROUTES: list[BaseRoute] = [
    # --- the studio's language (public: the sign-in page shows it) ---
    api("GET", "/api/studio", languages.studio, access=PUBLIC, response=languages.STUDIO, tags=("studio",)),
    api("PUT", "/api/studio", languages.update_studio, access=roles("admin"), body=languages.STUDIO_UPDATE,
        response=languages.STUDIO, tags=("studio",)),
    # --- password reset ---
    api("GET", "/api/auth/password-reset", reset.options, access=PUBLIC, response=reset.RESET_OPTIONS,
        tags=("auth",)),
    api("POST", "/api/auth/password-reset", reset.request_reset, access=PUBLIC, body=reset.RESET_REQUEST,
        response=reset.RESET_ACCEPTED, status=202, tags=("auth",),
        responses={429: "Too many requests for this email or from this address (see Retry-After)"}),
    api("POST", "/api/auth/password-reset/confirm", reset.confirm_reset, access=PUBLIC, body=reset.RESET_CONFIRM,
        status=204, tags=("auth",), responses={404: "Unknown link", 410: "The link was used or has expired"}),
    api("POST", "/api/users/{id:int}/password-reset", reset.handover_link, access=roles("trainer", "admin"),
        response=reset.HANDOVER, status=201, tags=("users",),
        responses={403: "A trainer's own account, or another trainer or admin the caller can see",
                   404: "No such user visible to the caller", 409: "The account is deactivated"}),
    # --- the caller's sessions ---
    api("GET", "/api/auth/sessions", sessions.list_sessions, access=SIGNED_IN, query=sessions.SESSION_QUERY,
        response=sessions.SESSION_PAGE, tags=("auth",)),
    api("POST", "/api/auth/sessions/end-others", sessions.end_other_sessions, access=SIGNED_IN, status=204,
        tags=("auth",)),
    api("DELETE", "/api/auth/sessions/{id:int}", sessions.end_session, access=SIGNED_IN, status=204, tags=("auth",),
        responses={404: "No such live login of the caller's"}),
]

"""Plain ASGI middleware (HTTP and WebSocket alike; no BaseHTTPMiddleware): headers, access log, body cap, gzip.

`Edge` is the outer layer: access log and metrics, security headers, the `Allow` of a 405 and the body cap, in one
layer with one `send` wrapper. The four classes it replaces stay (each is one of its parts) for stacks that want one.

The body cap stays our own rather than Starlette's `RequestBodyLimitMiddleware` (1.10, also `max_body_size=` on
`Starlette`, `Router` and `Route`): when the declared `Content-Length` is over the limit and the endpoint never reads
the body, or the endpoint has started to answer, Starlette replaces the answer with a plain-text
`Content Too Large`, not the error envelope every other error has (tests/web/test_middleware.py pins both).
"""
from __future__ import annotations

import logging
import time

from starlette.datastructures import MutableHeaders
from starlette.middleware.gzip import GZipMiddleware, GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from elior.ops import metrics
from elior.web.errors import ApiError

access_log = logging.getLogger("elior.access")

# The SPA loads only its own scripts and styles; `data:`/`blob:` images cover previews of photos before upload.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
       "connect-src 'self' ws: wss:; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


def security_headers(production: bool) -> list[tuple[bytes, bytes]]:
    """The headers every answer carries, encoded once (per response only the names already present are looked at:
    a response's own header wins)."""
    headers = {
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
    }
    if production:
        headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
    headers["Content-Security-Policy"] = CSP
    return [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]


def add_missing(message: Message, extra: list[tuple[bytes, bytes]]) -> None:
    headers = list(message.get("headers", ()))
    present = {name.lower() for name, _ in headers}
    headers.extend(pair for pair in extra if pair[0] not in present)
    message["headers"] = headers


def note_request(scope: Scope, status: int, seconds: float) -> None:
    """One line per request: method, path (never the query string, which may hold a token), status, duration, user;
    and the same observation counted for /metrics."""
    metrics.observe_request(scope, status, seconds)
    if access_log.isEnabledFor(logging.INFO):
        user = scope.get("user")
        # makeRecord + handle is what .info() does, less the stack walk for the caller's file and line, which the
        # JSON line never shows (measured: a tenth of a small request's cost).
        access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, "request", (), None, extra={
            "method": scope["method"], "path": scope["path"], "status": status,
            "duration_ms": round(seconds * 1000, 2), "user_id": getattr(user, "id", None),
        }))


def capped(receive: Receive, scope: Scope, max_bytes: int) -> Receive:
    """`receive`, raising a 413 (in the envelope, through the app's handlers) once the body passes `max_bytes`, or
    at the first read when the declared Content-Length already does."""
    received = -1

    async def counted() -> Message:
        nonlocal received
        if received < 0:
            received = 0
            declared = next((value for name, value in scope["headers"] if name.lower() == b"content-length"), b"")
            if declared.isdigit() and int(declared) > max_bytes:
                raise ApiError(413, f"the request body is larger than {max_bytes // (1024 * 1024)} MB")
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > max_bytes:
                raise ApiError(413, f"the request body is larger than {max_bytes // (1024 * 1024)} MB")
        return message

    return counted


def set_allow(scope: Scope, message: Message) -> None:
    """A 405 names every method the path accepts (RFC 9110), not only those of the first route that matched it: the
    route table has one route per method and path, so Starlette's own 405 for `PATCH /api/users/1` would say
    `Allow: GET` although PUT and DELETE are there too."""
    methods = allowed_methods(scope)
    if methods:
        MutableHeaders(scope=message)["Allow"] = ", ".join(methods)


class Edge:
    """The outer layer of the service: `note_request`, `security_headers`, `set_allow` on a 405 and `capped`.

    One layer where four were (AccessLog, SecurityHeaders, AllowHeader, BodyLimit): one coroutine frame and one
    `send` wrapper instead of four of each (~5 us a request in-process). None of them depends on its place in the
    stack: headers and Allow are set on the response start whatever made it, and the 413 raised in `receive`
    reaches the app's exception handlers wherever `receive` was wrapped. The four remain below as one part each.
    """

    def __init__(self, app: ASGIApp, *, production: bool = False, max_body_bytes: int | None = None,
                 log: bool = True, headers: bool = True, allow: bool = True) -> None:
        self.app = app
        self.headers = security_headers(production) if headers else []
        self.max_bytes, self.log, self.allow = max_body_bytes, log, allow

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.max_bytes is not None:
            receive = capped(receive, scope, self.max_bytes)
        if not (self.log or self.headers or self.allow):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter() if self.log else 0.0
        status = 500

        async def edge_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                if self.headers:
                    add_missing(message, self.headers)
                if status == 405 and self.allow:
                    set_allow(scope, message)
            await send(message)

        try:
            await self.app(scope, receive, edge_send)
        finally:
            if self.log:
                note_request(scope, status, time.perf_counter() - started)


class AccessLog(Edge):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, headers=False, allow=False)


class SecurityHeaders(Edge):
    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        super().__init__(app, production=production, log=False, allow=False)


class BodyLimit(Edge):
    """A server-wide cap on request bodies: 413 once the bytes received pass `max_bytes`, whatever the endpoint."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        super().__init__(app, max_body_bytes=max_bytes, log=False, headers=False, allow=False)


class AllowHeader(Edge):
    def __init__(self, app: ASGIApp) -> None:
        super().__init__(app, log=False, headers=False)


def allowed_methods(scope: Scope) -> list[str]:
    """The methods of every route declared with the same path template as the first one matching this path.

    By template, as OpenAPI reads paths: `/api/files/upload` is its own path even though `/api/files/{filename}`
    would also match it."""
    from starlette.routing import Match, Route

    template: str | None = None
    found: set[str] = set()
    for route in getattr(scope.get("app"), "routes", ()):
        if not isinstance(route, Route) or not route.methods:
            continue
        if template is None:
            match, _ = route.matches({**scope, "type": "http"})
            if match == Match.NONE:
                continue
            template = route.path
        if route.path == template:
            found |= route.methods
    return sorted(found)


class GZip(GZipMiddleware):
    """Starlette's GZipMiddleware (pinned 1.10), less two per-request costs measured at ~8 us of a ~250 us request:
    its responders re-normalise the excluded content types on every request (the middleware already did, once), and
    the Accept-Encoding check builds a `Headers` that lower-cases every request header. Same responses, byte for byte.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # The first Accept-Encoding header, as Starlette's `Headers.get` reads it.
        accepted = next((value for name, value in scope["headers"] if name.lower() == b"accept-encoding"), b"")
        responder: IdentityResponder
        if b"gzip" in accepted:
            responder = _GZipResponder(self.app, self.minimum_size, compresslevel=self.compresslevel,
                                       thread_minimum_size=self.thread_minimum_size)
        else:
            responder = _IdentityResponder(self.app, self.minimum_size)
        responder.exclude_content_types = self.exclude_content_types
        await responder(scope, receive, send)


class _IdentityResponder(IdentityResponder):
    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        super().__init__(app, minimum_size, exclude_content_types=())  # the middleware's, set by the caller


class _GZipResponder(GZipResponder):
    def __init__(self, app: ASGIApp, minimum_size: int, compresslevel: int, thread_minimum_size: int) -> None:
        super().__init__(app, minimum_size, compresslevel, thread_minimum_size=thread_minimum_size,
                         exclude_content_types=())  # the middleware's, set by the caller

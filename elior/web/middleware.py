"""Plain ASGI middleware (HTTP and WebSocket alike; no BaseHTTPMiddleware): headers, access log, body cap."""
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


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, production: bool) -> None:
        self.app = app
        self.headers = {
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "no-referrer",
            "Cross-Origin-Opener-Policy": "same-origin",
            "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
        }
        if production:
            self.headers["Strict-Transport-Security"] = "max-age=63072000; includeSubDomains"
        self.headers["Content-Security-Policy"] = CSP
        # Encoded once: per response only the names already present are looked at (a response's own wins).
        self.raw = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.headers.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend(pair for pair in self.raw if pair[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class AccessLog:
    """One line per request: method, path (never the query string, which may hold a token), status, duration, user;
    and the same observation counted for /metrics, so one wrapper times each request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            seconds = time.perf_counter() - started
            metrics.observe_request(scope, status, seconds)
            if access_log.isEnabledFor(logging.INFO):
                user = scope.get("user")
                # makeRecord + handle is what .info() does, less the stack walk for the caller's file and line,
                # which the JSON line never shows (measured: a tenth of a small request's cost).
                access_log.handle(access_log.makeRecord(access_log.name, logging.INFO, __file__, 0, "request", (),
                                                        None, extra={
                    "method": scope["method"], "path": scope["path"], "status": status,
                    "duration_ms": round(seconds * 1000, 2),
                    "user_id": getattr(user, "id", None),
                }))


class BodyLimit:
    """A server-wide cap on request bodies: 413 once the bytes received pass `max_bytes`, whatever the endpoint."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise ApiError(413, f"the request body is larger than {self.max_bytes // (1024 * 1024)} MB")
            return message

        await self.app(scope, counted, send)


class AllowHeader:
    """A 405 names every method the path accepts (RFC 9110), not only those of the first route that matched it.

    The route table has one route per method and path, so Starlette's own 405 for `PATCH /api/users/1` would say
    `Allow: GET` although PUT and DELETE are there too.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = allowed_methods(scope)
                if methods:
                    MutableHeaders(scope=message)["Allow"] = ", ".join(methods)
            await send(message)

        await self.app(scope, receive, send_with_allow)


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

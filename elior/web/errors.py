"""The one error envelope, for every layer: `{"error", "detail", "status_code"}`.

Endpoints raise `ApiError` (or a subclass); routing, body parsing, validation and crashes all end in the handlers
below, so no response of this service ever has another error shape or carries a traceback.

Faults of the machine rather than of the request are answered as what they are, with `Retry-After`, and the
connection kept (an exception that reaches uvicorn makes it drop a keep-alive connection): a full disk (ENOSPC,
EDQUOT, SQLite's SQLITE_FULL, PostgreSQL's disk_full) is 507, a database that cannot be reached or is locked past
its busy timeout is 503. Endpoint faults are answered by the handlers; `Faults` (a middleware) answers those raised
in middleware, such as the sign-in check's session read.
"""
from __future__ import annotations

import errno
import logging
import socket
import sqlite3
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from elior.web.responses import JSONResponse

try:
    import asyncpg
except ImportError:  # pragma: no cover - SQLite-only installs
    asyncpg = None

log = logging.getLogger("elior.errors")


class ApiError(Exception):
    """An error answered to the caller as it is; `detail` must be safe to show."""

    def __init__(self, status_code: int, detail: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status_code = status_code
        self.detail = detail if detail is not None else HTTPStatus(status_code).phrase
        self.headers = headers


def not_found(kind: str, ident: Any) -> ApiError:
    """The same answer for "does not exist" and "not yours": a caller learns nothing from the difference."""
    return ApiError(404, f"{kind} {ident} not found")


def forbidden(detail: str = "you may not do this") -> ApiError:
    return ApiError(403, detail)


def conflict(detail: str) -> ApiError:
    return ApiError(409, detail)


class ValidationError(ApiError):
    """A 422 whose detail is a list of `{"loc", "msg", "type"}`."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__(422, errors)


def invalid(loc: tuple[str | int, ...], msg: str, kind: str = "value_error") -> ValidationError:
    return ValidationError([{"loc": list(loc), "msg": msg, "type": kind}])


def envelope(status_code: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    error = "Validation Error" if status_code == 422 else HTTPStatus(status_code).phrase
    return JSONResponse({"error": error, "detail": detail, "status_code": status_code},
                        status_code=status_code, headers=headers)


async def api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return envelope(exc.status_code, exc.detail, exc.headers)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (unknown route 404, wrong method 405, ...) in the envelope."""
    assert isinstance(exc, HTTPException)
    detail = exc.detail
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"no route for {request.url.path}"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    return envelope(exc.status_code, detail, dict(exc.headers or {}) or None)


async def server_error(request: Request, exc: Exception) -> Response:
    """Any unhandled exception: logged with its trace, answered with nothing of it (a fault as itself)."""
    answer = fault_answer(request, exc)
    if answer is not None:
        return answer
    log.error("unhandled error", exc_info=exc, extra={"method": request.method, "path": request.url.path})
    return envelope(500, "the server met an unexpected error; it has been logged")


async def client_disconnect(request: Request, exc: Exception) -> Response:
    """The client went away mid-body (or its body stalled past BODY_TIMEOUT_SECONDS): nobody reads this answer,
    and it is no crash of ours to log with a trace."""
    log.info("client went away before its request was read", extra={"method": request.method,
                                                                    "path": request.url.path})
    return envelope(400, "the request ended before its body did")


# --- faults of the machine ---

DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})
UNREACHABLE = frozenset({errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EHOSTUNREACH,
                         errno.ENETUNREACH, errno.ETIMEDOUT, errno.EPIPE})
RETRY_DISK_SECONDS = 120  # someone has to free space: not worth retrying at once
RETRY_DATABASE_SECONDS = 5
SQLITE_UNAVAILABLE = ("SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_PROTOCOL")
SQLITE_UNAVAILABLE_TEXT = ("database is locked", "database table is locked", "disk i/o error",
                           "unable to open database")


def fault(exc: BaseException) -> int | None:
    """507 for a full disk, 503 for a database (or a service it needs) out of reach; None for anything else."""
    if isinstance(exc, sqlite3.OperationalError):
        name, text = getattr(exc, "sqlite_errorname", "") or "", str(exc).lower()
        if name.startswith("SQLITE_FULL") or "database or disk is full" in text:
            return 507
        if name.startswith(SQLITE_UNAVAILABLE) or any(phrase in text for phrase in SQLITE_UNAVAILABLE_TEXT):
            return 503
        return None
    if asyncpg is not None and isinstance(exc, asyncpg.PostgresError):
        if isinstance(exc, asyncpg.DiskFullError):
            return 507
        unavailable = (asyncpg.PostgresConnectionError, asyncpg.OperatorInterventionError,
                       asyncpg.InsufficientResourcesError, asyncpg.CannotConnectNowError)
        return 503 if isinstance(exc, unavailable) else None
    if asyncpg is not None and isinstance(exc, asyncpg.InterfaceError):
        return 503 if "closed" in str(exc) or "closing" in str(exc) else None
    if isinstance(exc, OSError):
        if exc.errno in DISK_FULL:
            return 507
        # asyncpg and asyncio's connect: a refused or timed-out connect, a name that does not resolve, or several
        # addresses tried in turn ("Multiple exceptions: ...", no errno).
        if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)) or exc.errno in UNREACHABLE:
            return 503
        connect_failed = exc.errno is None and str(exc).startswith(("Multiple exceptions", "Connect call failed"))
        return 503 if connect_failed else None
    return None


def fault_envelope(status: int) -> JSONResponse:
    if status == 507:
        return envelope(507, "the server's storage is full; nothing was kept. Try again later",
                        {"Retry-After": str(RETRY_DISK_SECONDS)})
    return envelope(503, "a service the server needs (its database) is not available right now. Try again shortly",
                    {"Retry-After": str(RETRY_DATABASE_SECONDS)})


def fault_answer(request: Request, exc: BaseException) -> Response | None:
    status = fault(exc)
    if status is None:
        return None
    # No trace: an outage would write one per request. The kind and the message say what the operator must fix.
    log.error("storage full" if status == 507 else "database unavailable",
              extra={"method": request.method, "path": request.url.path, "error": f"{type(exc).__name__}: {exc}"})
    return fault_envelope(status)


def log_failure(logger: logging.Logger, message: str, exc: BaseException, **extra: Any) -> None:
    """Log a background job's failure: an outage (the database away, the disk full) as one line without a trace,
    like a request's 503 above (a job every few seconds would otherwise write a trace each time); anything else, a
    bug, with its trace."""
    status = fault(exc)
    if status is None:
        logger.error(message, exc_info=exc, extra=extra)
    else:
        logger.error(f"{message}: {'storage full' if status == 507 else 'database unavailable'}",
                     extra={**extra, "error": f"{type(exc).__name__}: {exc}"})


async def fault_handler(request: Request, exc: Exception) -> Response:
    return fault_answer(request, exc) or await server_error(request, exc)


class Faults:
    """Plain ASGI middleware: a fault raised in the middleware inside it, before any answer started, is answered
    507/503 like an endpoint's, instead of reaching Starlette's ServerErrorMiddleware (which re-raises, so uvicorn
    drops the keep-alive connection)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def noting_start(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_start)
        except Exception as exc:
            answer = None if started else fault_answer(Request(scope), exc)
            if answer is None:
                raise
            await answer(scope, receive, send)


_FAULTS: tuple[type[BaseException], ...] = (OSError, sqlite3.OperationalError) + (
    (asyncpg.PostgresError, asyncpg.InterfaceError) if asyncpg is not None else ())

EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: api_error,
    HTTPException: http_exception,
    ClientDisconnect: client_disconnect,
    **{kind: fault_handler for kind in _FAULTS},
    Exception: server_error,
}

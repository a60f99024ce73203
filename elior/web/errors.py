"""The one error envelope, for every layer: `{"error", "detail", "status_code"}`.

Endpoints raise `ApiError` (or a subclass); routing, body parsing, validation and crashes all end in the handlers
below, so no response of this service ever has another error shape or carries a traceback.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from elior.web.responses import JSONResponse

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
    """Any unhandled exception: logged with its trace, answered with nothing of it."""
    log.error("unhandled error", exc_info=exc, extra={"method": request.method, "path": request.url.path})
    return envelope(500, "the server met an unexpected error; it has been logged")


EXCEPTION_HANDLERS: dict[Any, Any] = {
    ApiError: api_error,
    HTTPException: http_exception,
    Exception: server_error,
}

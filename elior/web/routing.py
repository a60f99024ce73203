"""How a route is declared: who may call it, what body and query it takes, what it answers.

    api("POST", "/api/workouts", workouts.create, access=roles("trainer", "admin"), body=WORKOUT, status=201)

`api()` wraps the endpoint so that, in the contract's order, the caller is authenticated (401), the query and body are
validated (422), the caller's role is checked (403), and only then the endpoint runs with a `Call`. Every route of
the app is built this way (or declares `access` itself), and a test walks `app.routes` to prove it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from elior.web.errors import ApiError, invalid
from elior.web.schema import Schema

if TYPE_CHECKING:
    from elior.db.database import Database
    from elior.settings import Settings
    from elior.web.auth import Caller


@dataclass(frozen=True)
class Access:
    name: str
    public: bool = False
    roles: frozenset[str] | None = None  # None: any signed-in user

    def allows(self, role: str) -> bool:
        return self.roles is None or role in self.roles


MAX_ID = 2 ** 63 - 1  # the largest id SQLite and PostgreSQL (BIGINT) can store

PUBLIC = Access("public", public=True)
SIGNED_IN = Access("any signed-in user")


def roles(*names: str) -> Access:
    return Access(" or ".join(names), roles=frozenset(names))


@dataclass
class Call:
    """What an endpoint receives: the request, the caller, and the already validated body and query."""

    request: Request
    user: "Caller"
    body: dict[str, Any] | None
    query: dict[str, Any]

    @property
    def db(self) -> "Database":
        return self.request.app.state.db  # type: ignore[no-any-return]

    @property
    def settings(self) -> "Settings":
        return self.request.app.state.settings  # type: ignore[no-any-return]

    def path_int(self, name: str) -> int:
        value = self.request.path_params[name]
        if not isinstance(value, int):
            raise invalid(("path", name), "must be an integer", "type_error.integer")
        return value

    @property
    def scope(self) -> dict[str, Any]:
        """The parameters of the one "which clients may this caller see" SQL shape (see sql/README.md)."""
        return {"caller_id": self.user.id, "caller_role": self.user.role}


Endpoint = Callable[[Call], Awaitable[Response]]


@dataclass(frozen=True)
class EndpointSpec:
    access: Access
    body: Schema | None = None
    query: Schema | None = None
    response: Schema | None = None
    status: int = 200
    summary: str = ""
    tags: tuple[str, ...] = ()
    responses: dict[int, str] = field(default_factory=dict)
    raw_body: str | None = None  # a body the endpoint reads itself (multipart, form), described for the docs


async def read_json(request: Request, limit_bytes: int) -> Any:
    """The body as JSON, refused with 413 as soon as it grows past the limit, never read whole first."""
    content_type = request.headers.get("content-type", "")
    if content_type and not content_type.split(";")[0].strip().endswith(("/json", "+json")):
        raise ApiError(415, "send the body as application/json")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit_bytes:
        raise ApiError(413, f"the body is larger than {limit_bytes // 1024} KB")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit_bytes:
            raise ApiError(413, f"the body is larger than {limit_bytes // 1024} KB")
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        raise invalid(("body",), "a JSON body is required", "value_error.missing")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise invalid(("body",), f"is not valid JSON ({error.msg} at position {error.pos})",
                      "value_error.jsondecode") from None


def api(method: str, path: str, endpoint: Endpoint, *, access: Access, body: Schema | None = None,
        query: Schema | None = None, response: Schema | None = None, status: int = 200, summary: str = "",
        tags: tuple[str, ...] = (), responses: dict[int, str] | None = None, raw_body: str | None = None,
        parse_body: bool = True) -> Route:
    spec = EndpointSpec(access, body, query, response, status, summary or (endpoint.__doc__ or "").strip(),
                        tags, responses or {}, raw_body)

    async def handle(request: Request) -> Response:
        user = request.user
        if not access.public and not user.is_authenticated:
            raise ApiError(401, "sign in first: send Authorization: Bearer <access token>",
                           headers={"WWW-Authenticate": "Bearer"})
        query_values = spec.query.validate(dict(request.query_params), coerce=True, loc=("query",)) \
            if spec.query else _no_query(request)
        body_values = None
        if spec.body is not None and parse_body:
            body_values = spec.body.validate(await read_json(request, request.app.state.settings.max_json_kb * 1024))
        if user.is_authenticated and not access.allows(user.role):
            raise ApiError(403, f"this needs the role {access.name}")
        if any(isinstance(v, int) and v > MAX_ID for v in request.path_params.values()):
            # No row can have an id past BIGINT; the drivers would raise on it (a 500) rather than find nothing.
            raise ApiError(404, f"nothing at {request.url.path[:200]}")
        return await endpoint(Call(request, user, body_values, query_values))

    route = Route(path, handle, methods=[method], name=f"{method} {path}")
    route.spec = spec  # type: ignore[attr-defined]
    route.endpoint_function = endpoint  # type: ignore[attr-defined]
    return route


def _no_query(request: Request) -> dict[str, Any]:
    if request.query_params:
        unknown = next(iter(request.query_params))
        raise invalid(("query", unknown), "is not a known query parameter", "value_error.extra")
    return {}

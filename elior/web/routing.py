"""How a route is declared: who may call it, what body and query it takes, what it answers.

    api("POST", "/api/workouts", workouts.create, access=roles("trainer", "admin"), body=WORKOUT, status=201)

`api()` wraps the endpoint so that, in the contract's order, the caller is authenticated (401), the query and body are
validated (422), the caller's role is checked (403), and only then the endpoint runs with a `Call`. Every route of
the app is built this way (or declares `access` itself), and a test walks `app.routes` to prove it. What a route
declares here is also what /openapi.json says about it (elior.web.openapi).

`indexed()` gives the app a router that finds a request's route among those its path could match, by the path's
first two segments, instead of trying the whole table in order (157 routes: `GET /api/progress` paid 58 regex
matches, ~38 us, before its endpoint ran).

This module imports nothing of the app but errors and schemas: elior.ops.metrics imports `template()` from here.
"""
from __future__ import annotations

import datetime as dt
import hmac
import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Iterator

import orjson
from starlette._utils import get_route_path
from starlette.convertors import IntegerConvertor
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match, Route, Router
from starlette.types import Receive, Scope, Send

from elior.web.errors import ApiError, ValidationError, invalid
from elior.web.schema import Schema
from elior.web.tokens import unauthorized

if TYPE_CHECKING:
    from elior.settings import Settings


log = logging.getLogger("elior.routing")


@dataclass(frozen=True)
class Access:
    name: str
    public: bool = False
    roles: frozenset[str] | None = None  # None: any signed-in user
    token_setting: str | None = None  # a Settings field: `Authorization: Bearer <its value>` passes as well

    def allows(self, role: str) -> bool:
        return self.roles is None or role in self.roles


MAX_ID = 2 ** 63 - 1  # the largest id SQLite and PostgreSQL (BIGINT) can store

PUBLIC = Access("public", public=True)
SIGNED_IN = Access("any signed-in user")


def roles(*names: str) -> Access:
    return Access(" or ".join(names), roles=frozenset(names))


def role_or_token(role: str, setting: str) -> Access:
    """A role, or a static bearer token from the settings (a Prometheus scraper needs no account: METRICS_TOKEN)."""
    return Access(f"{role}, or Authorization: Bearer <{setting.upper()}>", roles=frozenset({role}),
                  token_setting=setting)


def template(path: str) -> str:
    """A route's path as OpenAPI and the metrics name it: `/api/workouts/{id:int}` is `/api/workouts/{id}`."""
    return _CONVERTER.sub(r"{\1}", path)


_CONVERTER = re.compile(r"{([^{}:]+):[^{}]*}")


class IdConvertor(IntegerConvertor):
    """Starlette's `int` converter, less its crash: `int()` of more than 4,300 digits raises (CPython's guard against
    quadratic parsing), which the router would answer with a 500. Past MAX_ID no row can exist, so any longer
    number is MAX_ID + 1, which `api()` answers with a 404 like any other id that names nothing."""

    def convert(self, value: str) -> int:
        digits = value.lstrip("0")
        return int(digits or "0") if len(digits) <= len(str(MAX_ID)) else MAX_ID + 1


@dataclass
class Call:
    """What an endpoint receives: the request, the caller, and the already validated body and query."""

    # `user` is an elior.web.auth.Caller (Anonymous on a public route) and `db` an elior.db.database.Database. Not
    # imported, not even for type checking: elior.ops.metrics imports this module and the database imports metrics,
    # so naming them here would close an import cycle (tests/test_layout.py).
    request: Request
    user: Any
    body: dict[str, Any] | None
    query: dict[str, Any]

    @property
    def db(self) -> Any:
        return self.request.app.state.db

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
    raw_body: str | None = None  # a body the endpoint reads itself, described only by its media type
    forms: dict[str, Schema] = field(default_factory=dict)  # media type -> fields of a body the endpoint reads itself
    media_types: tuple[str, ...] = ()  # what a success answers when it is not JSON (a CSV, a file, a page)


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
        parse_body: bool = True, forms: dict[str, Schema] | None = None,
        media_types: tuple[str, ...] = ()) -> Route:
    """One route. `body` is JSON, validated here unless `parse_body=False` (the endpoint reads it, e.g. because
    `forms` offers the same body form-encoded); `forms` and `raw_body` describe bodies the endpoint reads itself."""
    spec = EndpointSpec(access, body, query, response, status, summary or (endpoint.__doc__ or "").strip(),
                        tags, responses or {}, raw_body, forms or {}, media_types)

    async def handle(request: Request) -> Response:
        user = request.user
        by_token = access.token_setting is not None and _holds_token(request, access.token_setting)
        if not access.public and not user.is_authenticated and not by_token:
            raise unauthorized(getattr(user, "token_problem", None))
        query_values = spec.query.validate(dict(request.query_params), coerce=True, loc=("query",)) \
            if spec.query else _no_query(request)
        body_values = None
        if spec.body is not None and parse_body:
            body_values = spec.body.validate(await read_json(request, request.app.state.settings.max_json_kb * 1024))
        if user.is_authenticated and not access.allows(user.role) and not by_token:
            raise ApiError(403, f"this needs the role {access.name}")
        if any(isinstance(v, int) and v > MAX_ID for v in request.path_params.values()):
            # No row can have an id past BIGINT; the drivers would raise on it (a 500) rather than find nothing.
            raise ApiError(404, f"nothing at {request.url.path[:200]}")
        try:
            return await endpoint(Call(request, user, body_values, query_values))
        except OverflowError:
            # Date arithmetic on a value at the calendar's edge (the day after 9999-12-31): the input's fault, so a
            # 422 naming it, never a 500. Logged, because an endpoint should have refused the value itself.
            log.warning("a date at the calendar's edge overflowed", extra={"method": method, "path": path})
            raise _edge_of_calendar(query_values, body_values) from None

    route = Route(path, handle, methods=[method], name=f"{method} {path}")
    for name, convertor in route.param_convertors.items():
        if isinstance(convertor, IntegerConvertor):
            # Route compiles its regex from the same "[0-9]+", so only the conversion changes (see IdConvertor).
            route.param_convertors[name] = IdConvertor()
    route.spec = spec  # type: ignore[attr-defined]
    route.endpoint_function = endpoint  # type: ignore[attr-defined]
    return route


def _holds_token(request: Request, setting: str) -> bool:
    """The request's bearer token is the (non-empty) value of that setting. Read from the header here, not through
    elior.web.auth, which would make this module import the database layer."""
    expected = getattr(request.app.state.settings, setting, None)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return bool(expected and scheme.lower() == "bearer" and token.strip()
                and hmac.compare_digest(token.strip().encode(), str(expected).encode()))


def _edge_of_calendar(query: dict[str, Any], body: dict[str, Any] | None) -> ValidationError:
    edges = [*_dates(query, ("query",)), *_dates(body, ("body",))] or [("body" if body else "query",)]
    return ValidationError([{"loc": list(loc), "msg": "is too close to the edge of the calendar (years 0001 to 9999)",
                             "type": "value_error.date.range"} for loc in edges])


def _dates(value: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    """Where the dates of the first or last year the calendar holds are, in cleaned input."""
    if isinstance(value, (dt.date, dt.datetime)) and value.year in (dt.MINYEAR, dt.MAXYEAR):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _dates(item, (*loc, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _dates(item, (*loc, index))


def _no_query(request: Request) -> dict[str, Any]:
    if request.query_params:
        unknown = next(iter(request.query_params))
        raise invalid(("query", unknown), "is not a known query parameter", "value_error.extra")
    return {}


INDEX_DEPTH = 2  # path segments a route is filed under: /api/workouts/{id} under ("api", "workouts")
INDEX_SIZE = 4096  # request keys remembered; past that the memo starts again (a scan of odd paths stays bounded)


def _literal_prefix(route: Any) -> tuple[str, ...]:
    """The route's leading path segments that are plain text (none for a route without a path template)."""
    template = getattr(route, "path_format", None)
    if not isinstance(template, str) or not template.startswith("/"):
        return ()
    prefix = []
    for segment in template[1:].split("/")[:INDEX_DEPTH]:
        if "{" in segment:
            break
        prefix.append(segment)
    return tuple(prefix)


class IndexedRouter(Router):
    """Starlette's Router (pinned 1.10), less its linear search on the common path: the first route of the table that
    fully matches, found among the routes whose plain-text leading segments agree with the request's, in table
    order. Any route that could match a path is among them (a route matches only paths that start with its plain
    text), so the winner is the one Starlette would pick. Anything else (no full match: a 405, a 404, a slash
    redirect; lifespan; WebSocket) goes to Starlette's own `app`, unchanged."""

    def _candidates(self, path: str) -> list[Any]:
        if self._indexed_count != len(self.routes):  # a route added after start: file the table again
            self._prefixes = [(route, _literal_prefix(route)) for route in self.routes]
            self._memo: dict[tuple[str, ...], list[Any]] = {}
            self._indexed_count = len(self.routes)
        key = tuple(path[1:].split("/", INDEX_DEPTH)[:INDEX_DEPTH])
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= INDEX_SIZE:
                self._memo.clear()
            found = self._memo[key] = [route for route, prefix in self._prefixes if key[:len(prefix)] == prefix]
        return found

    _indexed_count = -1

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            for route in self._candidates(get_route_path(scope)):
                match, child_scope = route.matches(scope)
                if match is Match.FULL:
                    scope.setdefault("router", self)
                    scope["route"] = route
                    scope.update(child_scope)
                    await route.handle(scope, receive, send)
                    return
        await super().app(scope, receive, send)


def indexed(router: Router) -> IndexedRouter:
    """The same routes, lifespan and fallbacks, looked up through the index (elior.app, before the first request)."""
    return IndexedRouter(router.routes, redirect_slashes=router.redirect_slashes, default=router.default,
                         lifespan=router.lifespan_context)

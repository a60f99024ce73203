"""The OpenAPI 3.1 document, built from the route table itself: what a route declares in `api()` (who may call it,
its query, body and answer schemas, its error answers) is what /openapi.json says and what /docs shows.

Every operation lists the errors it can answer in the one envelope: 422 (validation; the query too), 401/403 when it
needs a token, 404 when it takes an id, 413/415 when it takes a body, 429 with `Retry-After` under /api/ (the rate
limit), 500. A route adds or rewords its own through `responses=`.
"""
from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any, Iterable

from starlette.routing import BaseRoute

from elior import __version__
from elior.web.routing import MAX_ID, EndpointSpec, template
from elior.web.schema import Binary, Schema

ERROR = {
    "type": "object",
    "required": ["error", "detail", "status_code"],
    "properties": {
        "error": {"type": "string", "description": "the HTTP status phrase", "examples": ["Not Found"]},
        "detail": {"description": "what went wrong, for people: a sentence, or an object with more"},
        "status_code": {"type": "integer", "examples": [404]},
    },
}
PROBLEM_EXAMPLE = {"loc": ["body", "email"], "msg": "is required", "type": "value_error.missing"}
PROBLEM = {
    "type": "object",
    "required": ["loc", "msg", "type"],
    "properties": {
        "loc": {"type": "array", "items": {"type": ["string", "integer"]}, "examples": [["body", "email"]],
                "description": "where: `body`, `query` or `path`, then the field names and list indexes"},
        "msg": {"type": "string", "examples": ["is required"]},
        "type": {"type": "string", "examples": ["value_error.missing"]},
    },
}
VALIDATION_ERROR = {
    "type": "object",
    "required": ["error", "detail", "status_code"],
    "properties": {
        "error": {"type": "string", "const": "Validation Error"},
        "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationProblem"},
                   "description": "every problem found, not only the first"},
        "status_code": {"type": "integer", "const": 422},
    },
}
SECURITY_SCHEMES = {
    "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
               "description": "An access token from `POST /api/auth/login` (`access_token`), valid for minutes."},
    "password": {"type": "oauth2", "description": "Sign in with an email (as `username`) and a password, and this "
                 "page sends the access token with every call it tries. Leave the client fields empty.",
                 "flows": {"password": {"tokenUrl": "/api/auth/login", "scopes": {}}}},
}
DESCRIPTION = """The self-hosted back end of a fitness studio.

Sign in with `POST /api/auth/login` and send the `access_token` as `Authorization: Bearer <token>` (on this page:
**Authorize**). Every error has the `Error` shape; a validation error (422) lists every problem in `detail`.
Lists take `limit` (default 20, at most 100 unless the parameter says otherwise) and `offset` and answer
`{"items", "total", "limit", "offset"}`. An object the caller may not see is a 404, exactly like one that does not
exist. Under `/api/` each caller has a rate limit: past it, 429 with `Retry-After` (seconds).

Live updates are WebSockets (not listed below, which OpenAPI cannot describe): `/ws/notifications`, `/ws/progress`,
`/ws/workouts`, authenticated by `?token=<access token>`; messages are JSON `{"type", "data", "at"}`."""
_DESCRIPTIONS = {
    400: "A form that cannot be read: malformed, cut short, or a field over its size",
    401: "Not signed in, or the token is invalid or expired", 403: "The caller may not do this",
    404: "Not found, or not visible to the caller", 409: "Conflicts with the current state", 410: "Gone",
    413: "The body is too large", 415: "Unsupported media type", 422: "Validation error: every problem, located",
    429: "Too many requests: try again after Retry-After seconds", 500: "Internal server error (never any detail)",
    503: "Unavailable for now",
}
_SUCCESS = {200: "Success", 201: "Created", 204: "Done; no body"}
_HEADERS = {
    401: {"WWW-Authenticate": {"description": "`Bearer`: how to authenticate", "schema": {"type": "string"}}},
    429: {"Retry-After": {"description": "seconds to wait before trying again", "required": True,
                          "schema": {"type": "integer", "minimum": 1}}},
}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _parameters(path: str, spec: EndpointSpec) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for name, kind in re.findall(r"{(\w+)(?::(\w+))?}", path):
        schema = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID} if kind == "int" \
            else {"type": "string", "minLength": 1}
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
    if spec.query is not None:
        for name, field in spec.query.fields.items():
            param: dict[str, Any] = {"name": name, "in": "query", "required": field.required,
                                     "schema": field.json_schema()}
            if field.description:
                param["description"] = field.description
            params.append(param)
    return params


def _request_body(spec: EndpointSpec) -> dict[str, Any] | None:
    content: dict[str, Any] = {}
    if spec.body is not None:
        content["application/json"] = {"schema": _ref(spec.body.name), "example": spec.body.example()}
    for media_type, schema in spec.forms.items():
        content[media_type] = {"schema": _ref(schema.name)}
        if not any(isinstance(field, Binary) for field in schema.fields.values()):
            # A form with a file has no example without one: it would only teach a fuzzer a 422.
            content[media_type]["example"] = schema.example()
    if spec.raw_body and spec.raw_body not in content:
        content[spec.raw_body] = {"schema": {}}
    return {"required": True, "content": content} if content else None


def _success(spec: EndpointSpec) -> dict[str, Any]:
    success: dict[str, Any] = {"description": _SUCCESS.get(spec.status, "Success")}
    if spec.response is not None:
        success["content"] = {"application/json": {"schema": _ref(spec.response.name)}}
    elif spec.media_types:
        success["content"] = {media_type: {"schema": _raw_schema(media_type)} for media_type in spec.media_types}
    return success


def _raw_schema(media_type: str) -> dict[str, Any]:
    if media_type == "application/json":
        return {"type": "object"}
    if media_type.startswith("text/"):
        return {"type": "string"}
    return {"type": "string", "format": "binary", "contentMediaType": media_type}  # bytes: a file for clients


def _errors(path: str, spec: EndpointSpec, has_body: bool) -> dict[str, Any]:
    statuses = {422, 500} | set(spec.responses)
    if not spec.access.public:
        statuses |= {401, 403}
    if "{" in path:
        statuses.add(404)
    if has_body:
        statuses |= {413, 415}
    if spec.forms or spec.raw_body:
        statuses.add(400)  # a form the parser cannot read (Starlette's, python-multipart): malformed or oversized
    if path.startswith("/api/"):
        statuses.add(429)  # elior.web.ratelimit limits every caller under /api/
    answers: dict[str, Any] = {}
    for status in sorted(statuses):
        description = spec.responses.get(status, _DESCRIPTIONS.get(status, "Error"))
        example = {"error": "Validation Error" if status == 422 else HTTPStatus(status).phrase,
                   "detail": [PROBLEM_EXAMPLE] if status == 422 else description, "status_code": status}
        answer: dict[str, Any] = {"description": description, "content": {"application/json": {
            "schema": _ref("ValidationError" if status == 422 else "Error"), "example": example}}}
        if status in _HEADERS:
            answer["headers"] = _HEADERS[status]
        answers[str(status)] = answer
    return answers


def _operation_id(method: str, path: str) -> str:
    """`GET /api/workouts/{id}` is `getApiWorkoutsId`: generators snake-case it back to `get_api_workouts_id`, and
    without `_` Swagger UI reads a deep link to it (`/docs#/workouts/getApiWorkoutsId`) without a warning."""
    words = [word for word in re.split(r"[^a-zA-Z0-9]+", path) if word]
    return method + "".join(word[0].upper() + word[1:] for word in words)


def _security(spec: EndpointSpec, schemes: dict[str, Any]) -> list[dict[str, list[str]]] | None:
    if spec.access.public:
        return None
    found: list[dict[str, list[str]]] = [{"bearer": []}, {"password": []}]
    setting = spec.access.token_setting
    if setting is not None:
        # `metrics_token` -> `metricsToken`: a scheme of its own, so a client can hold that token apart.
        name = re.sub(r"_(\w)", lambda m: m.group(1).upper(), setting)
        schemes[name] = {"type": "http", "scheme": "bearer",
                         "description": f"The value of the server's `{setting.upper()}` setting."}
        found.append({name: []})
    return found


def _add_schemas(components: dict[str, Any], schema: Schema) -> None:
    for name, found in schema.all_schemas().items():
        described = found.json_schema()
        if components.setdefault(name, described) != described:
            # Two schemas of one name would make one of them silently wrong in every generated client.
            raise ValueError(f"two different schemas are both named {name!r}")


def _operation(route: BaseRoute, spec: EndpointSpec, method: str, components: dict[str, Any],
               schemes: dict[str, Any]) -> dict[str, Any]:
    path = template(route.path)  # type: ignore[attr-defined]
    summary, _, rest = spec.summary.partition("\n")
    who = "Anyone may call it." if spec.access.public else f"Who may call it: {spec.access.name}."
    operation: dict[str, Any] = {
        "operationId": _operation_id(method, path),
        "summary": summary.strip() or f"{method.upper()} {path}",
        "description": f"{rest.strip()}\n\n{who}".strip(),
        "tags": list(spec.tags) or [path.split("/")[2] if path.startswith("/api/") else "system"],
        "parameters": _parameters(route.path, spec),  # type: ignore[attr-defined]
    }
    for schema in (spec.body, spec.response, *spec.forms.values()):
        if schema is not None:
            _add_schemas(components, schema)
    body = _request_body(spec)
    if body is not None:
        operation["requestBody"] = body
    operation["responses"] = {str(spec.status): _success(spec), **_errors(path, spec, body is not None)}
    security = _security(spec, schemes)
    if security is not None:
        operation["security"] = security
    if spec.access.roles is not None:
        operation["x-roles"] = sorted(spec.access.roles)  # the same rule as `description`, for programs to read
    return operation


def build(routes: Iterable[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {"Error": ERROR, "ValidationError": VALIDATION_ERROR, "ValidationProblem": PROBLEM}
    schemes: dict[str, Any] = dict(SECURITY_SCHEMES)
    tags: dict[str, None] = {}
    for route in routes:
        spec: EndpointSpec | None = getattr(route, "spec", None)
        if spec is None or not getattr(route, "methods", None):
            continue
        for method in sorted(m.lower() for m in route.methods if m != "HEAD"):  # type: ignore[attr-defined]
            operation = _operation(route, spec, method, components, schemes)
            tags.update(dict.fromkeys(operation["tags"]))
            paths.setdefault(template(route.path), {})[method] = operation  # type: ignore[attr-defined]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Elior", "version": __version__, "description": DESCRIPTION},
        "tags": [{"name": name} for name in sorted(tags, key=lambda tag: tag == "system")],  # system last
        "paths": paths,
        "components": {"schemas": components, "securitySchemes": schemes},
    }

"""The OpenAPI 3.1 document, built from the route table itself, and the /docs page that reads it."""
from __future__ import annotations

import re
from typing import Any, Iterable

from starlette.routing import BaseRoute

from elior import __version__
from elior.web.routing import EndpointSpec

ERROR = {
    "type": "object",
    "required": ["error", "detail", "status_code"],
    "properties": {"error": {"type": "string"}, "detail": {}, "status_code": {"type": "integer"}},
}
_DESCRIPTIONS = {
    400: "Bad request", 401: "Not signed in, or the token is invalid", 403: "The caller's role may not do this",
    404: "Not found, or not visible to the caller", 409: "Conflicts with the current state", 410: "Gone",
    413: "The body is too large", 415: "Unsupported media type", 422: "Validation error",
    429: "Too many requests (see Retry-After)", 500: "Internal server error",
}


def _parameters(path: str, spec: EndpointSpec) -> list[dict[str, Any]]:
    params: list[dict[str, Any]] = []
    for name, kind in re.findall(r"{(\w+)(?::(\w+))?}", path):
        params.append({"name": name, "in": "path", "required": True,
                       "schema": {"type": "integer"} if kind == "int" else {"type": "string"}})
    if spec.query is not None:
        for name, field in spec.query.fields.items():
            params.append({"name": name, "in": "query", "required": field.required, "schema": field.json_schema()})
    return params


def build(routes: Iterable[BaseRoute]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    components: dict[str, Any] = {"Error": ERROR}
    for route in routes:
        spec: EndpointSpec | None = getattr(route, "spec", None)
        if spec is None or not getattr(route, "methods", None):
            continue
        path = re.sub(r"{(\w+):\w+}", r"{\1}", route.path)  # type: ignore[attr-defined]
        method = next(m for m in route.methods if m != "HEAD").lower()  # type: ignore[attr-defined]
        operation: dict[str, Any] = {
            "operationId": f"{method}_{re.sub(r'[^a-zA-Z0-9]+', '_', path).strip('_')}",
            "summary": spec.summary.split("\n")[0],
            "tags": list(spec.tags) or [path.split("/")[2] if path.startswith("/api/") else "system"],
            "parameters": _parameters(route.path, spec),  # type: ignore[attr-defined]
            "responses": {},
        }
        if not spec.access.public:
            operation["security"] = [{"bearer": []}]
            operation["description"] = f"Who may call it: {spec.access.name}."
        if spec.body is not None:
            components.update({s.name: s.json_schema() for s in spec.body.all_schemas().values()})
            operation["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{spec.body.name}"}}}}
        elif spec.raw_body:
            operation["requestBody"] = {"required": True, "content": {spec.raw_body: {"schema": {"type": "object"}}}}
        success: dict[str, Any] = {"description": "Success"}
        if spec.response is not None:
            components.update({s.name: s.json_schema() for s in spec.response.all_schemas().values()})
            success["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{spec.response.name}"}}}
        operation["responses"][str(spec.status)] = success
        errors = {422, 500} | ({401, 403} if not spec.access.public else set()) | set(spec.responses)
        for status in sorted(errors):
            operation["responses"][str(status)] = {
                "description": spec.responses.get(status, _DESCRIPTIONS.get(status, "Error")),
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            }
        paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Elior", "version": __version__,
                 "description": "The self-hosted back end of a fitness studio. Errors always have the Error shape."},
        "paths": paths,
        "components": {"schemas": components,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
    }


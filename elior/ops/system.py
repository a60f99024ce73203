"""Health, the OpenAPI document and its reading page."""
from __future__ import annotations

from starlette.responses import FileResponse, Response

from elior.paths import STATIC_DIR
from elior.web import openapi
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Schema, Str

HEALTH = Schema("Health", {"status": Str(required=True, enum=("ok",))})


async def health(call: Call) -> Response:
    """Liveness: answers without touching the database, so it stays cheap under any load."""
    return JSONResponse({"status": "ok"})


async def openapi_document(call: Call) -> Response:
    """The whole API as OpenAPI 3.1, built from the route table."""
    state = call.request.app.state
    if getattr(state, "openapi", None) is None:
        state.openapi = openapi.build(call.request.app.routes)
    return JSONResponse(state.openapi)


async def docs_page(call: Call) -> Response:
    """A page to read the API and try it from the browser."""
    return FileResponse(STATIC_DIR / "docs.html", media_type="text/html; charset=utf-8")

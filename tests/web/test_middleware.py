"""Protocol details found by fuzzing: 405 lists every method of the path; ids past BIGINT are a 404, not a 500."""
from __future__ import annotations

from starlette.testclient import TestClient

from elior.web.responses import JSONResponse, no_content
from elior.web.routing import SIGNED_IN, Call, api
from tests.helpers import Studio, assert_error


def add_probe_routes(client: TestClient) -> None:
    async def read(call: Call) -> JSONResponse:
        return JSONResponse({"id": call.path_int("id")})

    async def remove(call: Call) -> JSONResponse:
        return no_content()  # type: ignore[return-value]

    async def upload(call: Call) -> JSONResponse:
        return JSONResponse({})

    routes = client.app.router.routes  # type: ignore[attr-defined]
    routes.insert(0, api("POST", "/api/probes/upload", upload, access=SIGNED_IN))
    routes.insert(1, api("GET", "/api/probes/{id:int}", read, access=SIGNED_IN))
    routes.insert(2, api("DELETE", "/api/probes/{id:int}", remove, access=SIGNED_IN))


def test_405_lists_every_method_of_the_path(client: TestClient, studio: Studio) -> None:
    add_probe_routes(client)
    response = client.patch("/api/probes/7", headers=studio.trainer_a.headers)
    assert_error(response, 405)
    assert response.headers["allow"] == "DELETE, GET, HEAD"


def test_405_lists_the_methods_of_the_literal_path_only(client: TestClient, studio: Studio) -> None:
    add_probe_routes(client)
    response = client.options("/api/probes/upload", headers=studio.trainer_a.headers)
    assert_error(response, 405)
    assert response.headers["allow"] == "POST"


def test_negative_id_under_api_is_a_404_not_a_405(client: TestClient, studio: Studio) -> None:
    add_probe_routes(client)
    assert_error(client.delete("/api/probes/-3", headers=studio.trainer_a.headers), 404)


def test_id_past_bigint_is_a_404(client: TestClient, studio: Studio) -> None:
    add_probe_routes(client)
    assert_error(client.get(f"/api/probes/{2 ** 63}", headers=studio.trainer_a.headers), 404)
    assert client.get(f"/api/probes/{2 ** 63 - 1}", headers=studio.trainer_a.headers).json() == {"id": 2 ** 63 - 1}


# --- GZip: Starlette's middleware, cheaper per request, the same bytes ---

def _gzip_apps() -> list[TestClient]:
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.gzip import GZipMiddleware
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse, Response
    from starlette.routing import Route

    from elior.web.middleware import GZip

    async def page(request: Request) -> Response:
        size = int(request.query_params.get("size", "2000"))
        media = request.query_params.get("type", "text/plain")
        return PlainTextResponse("elior " * (size // 6), media_type=media)

    return [TestClient(Starlette(routes=[Route("/", page)],
                                 middleware=[Middleware(kind, minimum_size=500, compresslevel=6)]))
            for kind in (GZipMiddleware, GZip)]


def test_gzip_answers_exactly_as_starlettes_middleware() -> None:
    stock, ours = _gzip_apps()
    for query in ("size=2000", "size=100", "size=2000&type=text/event-stream", "size=2000&type=image/png"):
        for encoding in ("gzip, deflate", "identity", None):
            headers = {"Accept-Encoding": encoding} if encoding else {"Accept-Encoding": ""}
            a, b = (c.get(f"/?{query}", headers=headers) for c in (stock, ours))
            assert (a.status_code, a.headers.raw, a.content) == (b.status_code, b.headers.raw, b.content), \
                (query, encoding)

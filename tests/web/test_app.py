"""The app's shell: every route declares its access, every error has the envelope, health, OpenAPI, the SPA."""
from __future__ import annotations

from starlette.routing import Route
from starlette.testclient import TestClient

from elior.app import create_app
from elior.settings import Settings
from elior.web.responses import JSONResponse
from elior.web.routing import PUBLIC, Call, api
from tests.helpers import assert_error


def test_every_route_declares_who_may_call_it(settings: Settings) -> None:
    app = create_app(settings)
    undeclared = [getattr(r, "path", r) for r in app.routes if getattr(r, "spec", None) is None
                  and getattr(r, "access", None) is None]
    assert undeclared == []


def test_health_answers_ok(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_unknown_api_route_is_a_404_envelope(client: TestClient) -> None:
    body = assert_error(client.get("/api/no-such-thing"), 404)
    assert body["error"] == "Not Found"


def test_wrong_method_is_a_405_envelope(client: TestClient) -> None:
    assert_error(client.delete("/health"), 405)


def test_unhandled_exception_is_a_500_without_a_traceback(client: TestClient) -> None:
    async def boom(call: Call) -> JSONResponse:
        raise RuntimeError("secret path /srv/elior/db.py and SELECT * FROM users")

    client.app.router.routes.insert(0, api("GET", "/api/boom", boom, access=PUBLIC))  # type: ignore[attr-defined]
    body = assert_error(client.get("/api/boom"), 500)
    assert body["error"] == "Internal Server Error"
    assert "secret" not in str(body) and "Traceback" not in str(body) and "SELECT" not in str(body)


def test_security_headers_on_every_response(client: TestClient) -> None:
    for response in (client.get("/health"), client.get("/api/missing"), client.get("/")):
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"
        assert "default-src 'self'" in response.headers["content-security-policy"]
        assert "unsafe-inline" not in response.headers["content-security-policy"]


def test_openapi_is_3_1_and_lists_the_routes(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    assert document["openapi"] == "3.1.0"
    assert "/health" in document["paths"]
    assert client.get("/docs").status_code == 200


def test_spa_paths_serve_index_html_and_never_leave_static(client: TestClient) -> None:
    page = client.get("/trainer/clients/4")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    for sneaky in ("/..%2f..%2fsetup.cfg", "/%2e%2e/%2e%2e/setup.cfg", "/../requirements.txt"):
        response = client.get(sneaky)
        assert "starlette==" not in response.text and "[tool:pytest]" not in response.text


def test_paths_under_ws_are_not_the_spa(client: TestClient) -> None:
    assert_error(client.get("/ws/nothing-here"), 404)


def test_routes_are_starlette_routes() -> None:
    route = api("GET", "/x", test_health_answers_ok, access=PUBLIC)  # type: ignore[arg-type]
    assert isinstance(route, Route)

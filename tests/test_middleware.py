"""Protocol details found by fuzzing: 405 lists every method of the path; ids past BIGINT are a 404, not a 500."""
from __future__ import annotations

from starlette.testclient import TestClient

from elior.responses import JSONResponse, no_content
from elior.routing import SIGNED_IN, Call, api
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

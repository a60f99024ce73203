"""The app's shell: every route declares its access, every error has the envelope, health, OpenAPI, the SPA; and no
input (a path id of 5,000 digits, a date at the calendar's edge) is a 500, tried on a real server process."""
from __future__ import annotations

import asyncio
import datetime as dt
import re
from typing import Any, Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest
from starlette.routing import Route
from starlette.testclient import TestClient

from elior.app import create_app
from elior.routes import route_table
from elior.settings import Settings
from elior.web.responses import JSONResponse
from elior.web.routing import MAX_ID, PUBLIC, Call, api
from elior.web.schema import Date, Schema
from tests.conftest import _truncate
from tests.helpers import assert_error
from tests.live_server import environment, signed_in_user, start

EDGE_DAYS = ("9999-12-31", "0001-01-01")


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


def test_date_arithmetic_that_overflows_is_a_422_naming_the_date(client: TestClient) -> None:
    async def next_day(call: Call) -> JSONResponse:
        return JSONResponse({"next": (call.query["to"] + dt.timedelta(days=1)).isoformat()})

    query = Schema("NextDayQuery", {"to": Date(required=True)})
    client.app.router.routes.insert(0, api("GET", "/api/next-day", next_day, access=PUBLIC,  # type: ignore
                                           query=query))
    assert client.get("/api/next-day", params={"to": "2026-01-31"}).json() == {"next": "2026-02-01"}
    body = assert_error(client.get("/api/next-day", params={"to": "9999-12-31"}), 422)
    assert [problem["loc"] for problem in body["detail"]] == [["query", "to"]]


# --- on a real server process, on the session's database ---

@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None) -> Iterator[dict[str, Any]]:
    """A server with a trainer, their client and an admin, and one exercise, workout and meal plan of theirs."""
    folder = tmp_path_factory.mktemp("edges")
    url = postgres_url or f"sqlite:///{folder / 'elior.db'}"
    if postgres_url is not None:
        asyncio.run(_truncate(postgres_url))
    trainer_id, trainer = signed_in_user(url, "trainer")
    client_id, client = signed_in_user(url, "client", trainer_id=trainer_id)
    _, admin = signed_in_user(url, "admin")
    server = start(environment(url, folder), folder / "server.log")
    http = httpx.Client(base_url=server.base_url, timeout=20)
    try:
        as_trainer = {"Authorization": f"Bearer {trainer}"}
        exercise = http.post("/api/exercises", json={"name": "Squat"}, headers=as_trainer).json()["id"]
        workout = http.post("/api/workouts", headers=as_trainer, json={
            "client_id": client_id, "title": "Legs", "scheduled_for": "2026-01-15",
            "exercises": [{"exercise_id": exercise, "sets": 3, "reps": 5}]}).json()["id"]
        plan = http.post("/api/meal-plans", headers=as_trainer, json={
            "client_id": client_id, "title": "Plan", "start_date": "2026-01-01"}).json()["id"]
        yield {"server": server, "http": http, "client_id": client_id,
               "ids": {"exercises": exercise, "workouts": workout, "meal-plans": plan},
               "tokens": {"trainer": trainer, "client": client, "admin": admin}}
    finally:
        http.close()
        server.terminate()
        if postgres_url is not None:
            asyncio.run(_truncate(postgres_url))


def _int_routes() -> list[tuple[str, str, Any, bool]]:
    """(method, path, access, whether the query has a required parameter) of every route with an integer id."""
    return [(method, route.path, route.spec.access,  # type: ignore[attr-defined]
             route.spec.query is not None and any(f.required for f in route.spec.query.fields.values()))
            for route in route_table()
            if ":int}" in getattr(route, "path", "") for method in sorted(route.methods or ()) if method != "HEAD"]


def test_a_5000_digit_id_is_a_4xx_on_every_id_route(edge: dict[str, Any]) -> None:
    routes = _int_routes()
    assert len(routes) > 20
    for method, path, access, needs_query in routes:
        url = re.sub(r"{\w+:int}", "9" * 5000, path)
        for role, token in edge["tokens"].items():
            answer = edge["http"].request(method, url, headers={"Authorization": f"Bearer {token}"},
                                          json={} if method in ("POST", "PUT") else None)
            # 422 (the body, or a required query parameter, is checked first), 403 (a route of another role) or
            # 404 (no such id): never a 500.
            assert answer.status_code in (403, 404, 422), f"{method} {path} as {role}: {answer.text[:300]}"
            assert_error(answer, answer.status_code)
            if method in ("GET", "DELETE") and access.allows(role) and not needs_query:
                assert answer.status_code == 404, f"{method} {path} as {role}"
    assert edge["server"].process.poll() is None


@pytest.mark.parametrize("ident", [MAX_ID, MAX_ID + 1, 10 ** 30, "0" * 4990 + "1" * 10])
def test_ids_up_to_and_past_bigint_name_nothing(edge: dict[str, Any], ident: int | str) -> None:
    headers = {"Authorization": f"Bearer {edge['tokens']['admin']}"}
    assert_error(edge["http"].get(f"/api/workouts/{ident}", headers=headers), 404)
    assert_error(edge["http"].delete(f"/api/exercises/{ident}", headers=headers), 404)


def _an_id(edge: dict[str, Any], path: str, name: str) -> str:
    """The id of a real object for the path's resource where the scene has one (else one that names nothing)."""
    if name == "client_id":
        return str(edge["client_id"])
    return str(edge["ids"].get(path.split("/")[2], 1) if name == "id" else 1)


def test_dates_at_the_calendars_edge_in_every_query_are_never_a_500(edge: dict[str, Any]) -> None:
    tried = 0
    for route in route_table():
        spec = getattr(route, "spec", None)
        if spec is None or spec.query is None or "GET" not in (route.methods or ()):  # type: ignore[attr-defined]
            continue
        dates = [name for name, field in spec.query.fields.items() if isinstance(field, Date)]
        url = re.sub(r"{(\w+):int}", lambda m: _an_id(edge, route.path, m.group(1)), route.path)  # type: ignore
        for name in dates:
            for day in EDGE_DAYS:
                for role, token in edge["tokens"].items():
                    params = {name: day}
                    if "client_id" in spec.query.fields and role != "client":
                        params["client_id"] = edge["client_id"]
                    answer = edge["http"].get(url, params=params, headers={"Authorization": f"Bearer {token}"})
                    assert answer.status_code < 500, f"{url}?{name}={day} as {role}: {answer.text[:300]}"
                    if answer.status_code >= 400:
                        assert_error(answer, answer.status_code)
                    tried += 1
    assert tried >= 40


@pytest.mark.parametrize("moment", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00"])
def test_a_timestamp_outside_the_calendar_in_utc_is_a_422(edge: dict[str, Any], moment: str) -> None:
    answer = edge["http"].post(f"/api/workouts/{edge['ids']['workouts']}/log", json={"performed_at": moment},
                               headers={"Authorization": f"Bearer {edge['tokens']['client']}"})
    body = assert_error(answer, 422)
    assert body["detail"][0]["loc"] == ["body", "performed_at"]
    assert body["detail"][0]["type"] == "value_error.datetime.range"

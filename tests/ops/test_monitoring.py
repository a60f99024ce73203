"""Monitoring: detailed health, /metrics (Prometheus text) and its JSON twin, the recent logs, who may read them."""
from __future__ import annotations

import logging
import re
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.ops import logs, metrics
from elior.settings import Settings
from elior.web.responses import JSONResponse
from elior.web.routing import SIGNED_IN, Call, api
from tests.helpers import Studio, assert_error

METRICS_TOKEN = "scraper-token-0123456789abcdef"


def sample(text: str, name: str, **labels: Any) -> float:
    """The value of one series in Prometheus text, or 0 when the series is absent."""
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    pattern = "^" + re.escape(name) + (r"\{" + re.escape(wanted) + r"\}" if labels else "") + r" (\S+)$"
    match = re.search(pattern, text, re.MULTILINE)
    return float(match.group(1)) if match else 0.0


def probe_route(client: TestClient) -> None:
    """A route with a path parameter, to see requests counted by template rather than by path."""

    async def probe(call: Call) -> JSONResponse:
        return JSONResponse({"id": call.path_int("id"), "queries": await call.db.fetch_val("ops.system.ping")})

    client.app.router.routes.insert(0, api("GET", "/api/probe/{id:int}", probe,  # type: ignore[attr-defined]
                                           access=SIGNED_IN))


def scrape(client: TestClient, studio: Studio) -> str:
    response = client.get("/metrics", headers=studio.admin.headers)
    assert response.status_code == 200, response.text
    return response.text


@pytest.fixture
def token_client(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings.with_overrides(metrics_token=METRICS_TOKEN))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_metrics_without_credentials_is_401(client: TestClient) -> None:
    assert_error(client.get("/metrics"), 401)


def test_metrics_for_a_trainer_is_403(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/metrics", headers=studio.trainer_a.headers), 403)


def test_metrics_for_an_admin_is_prometheus_text(client: TestClient, studio: Studio) -> None:
    response = client.get("/metrics", headers=studio.admin.headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "# TYPE elior_http_requests_total counter" in response.text
    assert "# TYPE elior_http_request_duration_seconds histogram" in response.text


def test_metrics_token_reads_metrics(token_client: TestClient) -> None:
    response = token_client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    assert "elior_db_queries_total" in response.text


def test_wrong_metrics_token_is_401(token_client: TestClient) -> None:
    assert_error(token_client.get("/metrics", headers={"Authorization": "Bearer scraper-token-wrong"}), 401)


def test_requests_are_counted_by_route_template_and_status(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    labels = {"method": "GET", "route": "/api/probe/{id}", "status": 200}
    before = sample(scrape(client, studio), "elior_http_requests_total", **labels)
    for ident in (1, 2, 3):
        assert client.get(f"/api/probe/{ident}", headers=studio.trainer_a.headers).status_code == 200
    client.get("/api/probe/4")  # anonymous: a 401 of the same route
    text = scrape(client, studio)
    assert sample(text, "elior_http_requests_total", **labels) == before + 3
    assert sample(text, "elior_http_requests_total", method="GET", route="/api/probe/{id}", status=401) >= 1
    assert "/api/probe/1" not in text


def test_latency_histogram_counts_each_request(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    labels = {"method": "GET", "route": "/api/probe/{id}"}
    before = sample(scrape(client, studio), "elior_http_request_duration_seconds_count", **labels)
    client.get("/api/probe/9", headers=studio.client_a1.headers)
    text = scrape(client, studio)
    assert sample(text, "elior_http_request_duration_seconds_count", **labels) == before + 1
    assert sample(text, "elior_http_request_duration_seconds_bucket", **labels, le="+Inf") == before + 1


def test_database_queries_are_counted(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    before = sample(scrape(client, studio), "elior_db_queries_total")
    client.get("/api/probe/1", headers=studio.trainer_a.headers)
    # The probe's ping, plus the /metrics request's own token check if its cache entry has expired.
    assert sample(scrape(client, studio), "elior_db_queries_total") >= before + 1
    assert sample(scrape(client, studio), "elior_db_query_duration_seconds_count") >= before + 1


def test_login_failures_counter_is_exported(client: TestClient, studio: Studio) -> None:
    before = sample(scrape(client, studio), "elior_login_failures_total")
    metrics.LOGIN_FAILURES.inc()
    assert sample(scrape(client, studio), "elior_login_failures_total") == before + 1


def test_token_cache_hits_are_exported(client: TestClient, studio: Studio) -> None:
    scrape(client, studio)
    before = sample(scrape(client, studio), "elior_cache_hits_total", cache="auth_claims")
    scrape(client, studio)
    # The admin's token was verified once and then served from the claims cache.
    assert sample(scrape(client, studio), "elior_cache_hits_total", cache="auth_claims") >= before + 2


def test_system_metrics_json_for_admin(client: TestClient, studio: Studio) -> None:
    client.get("/health")
    body = client.get("/api/system/metrics", headers=studio.admin.headers).json()
    health = [r for r in body["requests"] if r["route"] == "/health" and r["status"] == 200]
    assert health and health[0]["count"] >= 1
    assert body["database"]["queries"] >= 1
    assert set(body["caches"]) >= {"auth_claims", "auth_sessions"}


def test_system_metrics_json_for_a_client_is_403(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/system/metrics", headers=studio.client_a1.headers), 403)


@pytest.mark.parametrize("path", ["/health/detailed", "/api/system/health"])
def test_detailed_health_reports_version_database_disk_sockets(client: TestClient, studio: Studio,
                                                               path: str) -> None:
    response = client.get(path, headers=studio.admin.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["version"]
    assert body["database"]["backend"] == client.app.state.db.dialect  # type: ignore[attr-defined]
    assert body["database"]["ok"] is True and body["database"]["latency_ms"] >= 0
    assert 0 < body["disk"]["data"]["free_bytes"] <= body["disk"]["data"]["total_bytes"]
    assert body["disk"]["uploads"]["total_bytes"] > 0
    assert body["open_sockets"] == 0
    assert body["uptime_seconds"] >= 0


@pytest.mark.parametrize("path", ["/health/detailed", "/api/system/health"])
def test_detailed_health_for_a_trainer_is_403(client: TestClient, studio: Studio, path: str) -> None:
    assert_error(client.get(path, headers=studio.trainer_a.headers), 403)
    assert_error(client.get(path), 401)


def test_detailed_health_with_the_database_down_is_503(client: TestClient, studio: Studio) -> None:

    client.get("/api/system/health", headers=studio.admin.headers)
    db = client.app.state.db  # type: ignore[attr-defined]
    original = db.queries["ops.system.ping"]
    db.queries["ops.system.ping"] = "SELECT no_such_column FROM no_such_table"
    try:
        body = assert_error(client.get("/api/system/health", headers=studio.admin.headers), 503)
    finally:
        db.queries["ops.system.ping"] = original
    assert body["detail"]["status"] == "degraded" and body["detail"]["database"]["ok"] is False


@pytest.fixture
def captured_logs() -> Iterator[None]:
    """The ring buffer attached to the service's logger, as `logs.configure` does for a real start."""
    logger = logging.getLogger("elior")
    logs.RECENT.records.clear()
    logger.addHandler(logs.RECENT)
    try:
        yield
    finally:
        logger.removeHandler(logs.RECENT)


def test_logs_show_recent_records_newest_first(client: TestClient, studio: Studio, captured_logs: None) -> None:
    logging.getLogger("elior.test").warning("first thing", extra={"thing": 1})
    logging.getLogger("elior.test").error("second thing", extra={"password": "hunter2"})
    body = client.get("/api/system/logs?level=warning&limit=2", headers=studio.admin.headers).json()
    assert [r["message"] for r in body["items"]] == ["second thing", "first thing"]
    assert body["items"][0]["password"] == "[redacted]"
    assert body["items"][1]["thing"] == 1


def test_logs_filter_by_level(client: TestClient, studio: Studio, captured_logs: None) -> None:
    logging.getLogger("elior.test").warning("a warning")
    logging.getLogger("elior.test").error("an error")
    body = client.get("/api/system/logs?level=ERROR", headers=studio.admin.headers).json()
    assert {r["level"] for r in body["items"]} == {"ERROR"}


def test_logs_buffer_is_bounded() -> None:
    buffer = logs.RingBuffer(capacity=5)
    for number in range(20):
        buffer.emit(logging.makeLogRecord({"msg": f"record {number}", "levelname": "INFO", "levelno": 20}))
    assert [r["message"] for r in buffer.recent("DEBUG", 100)] == [f"record {n}" for n in range(19, 14, -1)]


@pytest.mark.parametrize("query", ["level=LOUD", "limit=0", "limit=1001", "colour=red"])
def test_logs_bad_query_is_422(client: TestClient, studio: Studio, query: str) -> None:
    assert_error(client.get(f"/api/system/logs?{query}", headers=studio.admin.headers), 422)


def test_logs_for_a_trainer_is_403(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/system/logs", headers=studio.trainer_a.headers), 403)

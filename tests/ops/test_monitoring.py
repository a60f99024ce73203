"""Monitoring: who may read /metrics and its JSON twin, detailed health, the recent logs.

What /metrics shows is tested in test_metrics.py.
"""
from __future__ import annotations

import logging
import sys
from typing import Iterator

import orjson
import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.ops import logs
from elior.settings import Settings
from tests.helpers import Studio, assert_error, make_person, run

METRICS_TOKEN = "scraper-token-0123456789abcdef"


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
    assert "# TYPE process_cpu_seconds_total counter" in response.text


def test_metrics_token_reads_metrics(token_client: TestClient) -> None:
    response = token_client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert response.status_code == 200
    assert "elior_db_queries_total" in response.text


def test_metrics_token_is_not_an_admin_token(token_client: TestClient) -> None:
    assert_error(token_client.get("/api/system/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}), 401)


def test_metrics_for_a_trainer_is_403_even_with_a_metrics_token_set(token_client: TestClient) -> None:
    trainer = make_person(token_client, "trainer")
    assert_error(token_client.get("/metrics", headers=trainer.headers), 403)


def test_wrong_metrics_token_is_401(token_client: TestClient) -> None:
    assert_error(token_client.get("/metrics", headers={"Authorization": "Bearer scraper-token-wrong"}), 401)


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
    """A real outage: the app's database connection closed under it (the admin's login check is cached by then)."""
    client.get("/api/system/health", headers=studio.admin.headers)
    db = client.app.state.db  # type: ignore[attr-defined]
    run(client, db.disconnect)
    try:
        body = assert_error(client.get("/api/system/health", headers=studio.admin.headers), 503)
    finally:
        run(client, db.connect)  # the lifespan disconnects it again at the end
    assert body["detail"]["status"] == "degraded" and body["detail"]["database"]["ok"] is False
    assert client.get("/api/system/health", headers=studio.admin.headers).status_code == 200


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


def _record_with(level: int, error: BaseException) -> logging.LogRecord:
    try:
        raise error
    except type(error):
        return logging.LogRecord("asyncpg.pool", level, __file__, 1, "connection failed", (), sys.exc_info())


def test_an_error_logs_its_traceback_and_a_handled_warning_one_line() -> None:
    formatter = logs.JSONFormatter()
    error = orjson.loads(formatter.format(_record_with(logging.ERROR, RuntimeError("a bug"))))
    assert error["exception"].startswith("Traceback") and error["exception"].endswith("RuntimeError: a bug")
    # asyncpg's pool retries a connection every second while the database is down, with exc_info on a warning.
    warning = orjson.loads(formatter.format(_record_with(logging.WARNING, ConnectionResetError(104, "reset"))))
    assert warning["error"] == "ConnectionResetError: [Errno 104] reset" and "exception" not in warning
    assert "Traceback" not in formatter.format(_record_with(logging.WARNING, OSError("refused")))


@pytest.mark.parametrize("level", ["error", "ERROR", "Error", " error "])
def test_logs_level_is_read_in_any_case(client: TestClient, studio: Studio, captured_logs: None, level: str) -> None:
    logging.getLogger("elior.test").warning("a warning")
    logging.getLogger("elior.test").error("an error")
    response = client.get("/api/system/logs", params={"level": level}, headers=studio.admin.headers)
    assert response.status_code == 200, response.text
    assert [r["message"] for r in response.json()["items"]] == ["an error"]


def test_logs_level_declares_one_enum(client: TestClient, studio: Studio) -> None:
    """Both spellings in one enum are duplicates to a client generator (openapi-python-client stops on them)."""
    operation = client.get("/openapi.json").json()["paths"]["/api/system/logs"]["get"]
    level = next(p for p in operation["parameters"] if p["name"] == "level")
    assert level["schema"]["enum"] == ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
    assert level["schema"]["default"] == "INFO"


@pytest.mark.parametrize("query", ["level=LOUD", "level=\u0131nfo", "level=", "limit=0", "limit=1001",
                                   "colour=red"])
def test_logs_bad_query_is_422(client: TestClient, studio: Studio, query: str) -> None:
    assert_error(client.get(f"/api/system/logs?{query}", headers=studio.admin.headers), 422)


def test_logs_for_a_trainer_is_403(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/system/logs", headers=studio.trainer_a.headers), 403)

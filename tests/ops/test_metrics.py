"""The /metrics exposition (elior/ops/metrics.py on prometheus_client) and its JSON twin, read as a scraper reads them.

Every scrape is parsed with `prometheus_client.parser`, so a line the library's own parser refuses fails the test.
"""
from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from starlette.testclient import TestClient

from elior.app import create_app
from elior.ops import metrics
from elior.ops.histogram import Histogram
from elior.settings import Settings
from elior.web.responses import JSONResponse
from elior.web.routing import SIGNED_IN, Call, api
from tests.helpers import Studio
from tests.training_world import make_exercise

METRICS_TOKEN = "scraper-token-0123456789abcdef"


def families(text: str) -> dict[str, Any]:
    """Every metric family of a scrape by name (counters without their `_total`), as the library parses them."""
    return {family.name: family for family in text_string_to_metric_families(text)}


def samples(text: str) -> list[Sample]:
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def sample(text: str, name: str, **labels: Any) -> float:
    """The value of the one series `name` with exactly these labels, or 0 when the series is absent."""
    wanted = {key: str(value) for key, value in labels.items()}
    found = [s.value for s in samples(text) if s.name == name and s.labels == wanted]
    assert len(found) <= 1, found
    return found[0] if found else 0.0


def probe_route(client: TestClient) -> None:
    """A route with a path parameter, to see requests counted by template rather than by path."""

    async def probe(call: Call) -> JSONResponse:
        return JSONResponse({"id": call.path_int("id"), "queries": await call.db.fetch_val("ops.system.ping")})

    client.app.router.routes.insert(0, api("GET", "/api/probe/{id:int}", probe,  # type: ignore[attr-defined]
                                           access=SIGNED_IN))


def scrape(client: TestClient, studio: Studio, accept: str = "*/*") -> str:
    response = client.get("/metrics", headers={**studio.admin.headers, "Accept": accept})
    assert response.status_code == 200, response.text
    return response.text


def test_exposition_parses_and_has_every_series_of_the_contract(client: TestClient, studio: Studio) -> None:
    client.get("/health")
    found = families(scrape(client, studio))
    expected = {
        "elior_http_requests": "counter", "elior_http_request_duration_seconds": "histogram",
        "elior_db_queries": "counter", "elior_db_query_errors": "counter",
        "elior_db_query_duration_seconds": "histogram", "elior_login_failures": "counter",
        "elior_open_websockets": "gauge", "elior_uptime_seconds": "gauge", "elior_cache_hits": "counter",
        "elior_cache_misses": "counter", "elior_cache_entries": "gauge",
    }
    assert {name: found[name].type for name in expected if name in found} == expected
    assert not [name for name in found if name.endswith("_created")]  # disabled: they only double the series


def test_process_metrics_are_exported(client: TestClient, studio: Studio) -> None:
    text = scrape(client, studio)
    assert sample(text, "process_resident_memory_bytes") > 0
    assert sample(text, "process_cpu_seconds_total") > 0
    assert sample(text, "process_open_fds") > 0
    assert sample(text, "process_start_time_seconds") > 0
    assert any(s.name == "python_info" for s in samples(text))
    assert any(s.name == "python_gc_collections_total" for s in samples(text))


def test_requests_are_counted_by_route_template_and_status(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    labels = {"method": "GET", "route": "/api/probe/{id}", "status": 200}
    before = sample(scrape(client, studio), "elior_http_requests_total", **labels)
    for ident in (1, 2, 3):
        assert client.get(f"/api/probe/{ident}", headers=studio.trainer_a.headers).status_code == 200
    client.get("/api/probe/4")  # anonymous: a 401 of the same route
    text = scrape(client, studio)
    assert sample(text, "elior_http_requests_total", **labels) == before + 3
    assert sample(text, "elior_http_requests_total", method="GET", route="/api/probe/{id}", status=401) == 1
    assert "/api/probe/1" not in text


def test_an_invented_method_is_counted_as_other(client: TestClient, studio: Studio) -> None:
    client.request("BREW", "/health")
    client.request("BREW", "/health")
    text = scrape(client, studio)
    routes = {(s.labels["method"], s.labels["route"]) for s in samples(text) if s.name == "elior_http_requests_total"}
    assert ("other", "/health") in routes and not [m for m, _ in routes if m == "BREW"]


def test_latency_histogram_counts_each_request(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    labels = {"method": "GET", "route": "/api/probe/{id}"}
    before = sample(scrape(client, studio), "elior_http_request_duration_seconds_count", **labels)
    client.get("/api/probe/9", headers=studio.client_a1.headers)
    text = scrape(client, studio)
    assert sample(text, "elior_http_request_duration_seconds_count", **labels) == before + 1
    assert sample(text, "elior_http_request_duration_seconds_bucket", **labels, le="+Inf") == before + 1
    assert sample(text, "elior_http_request_duration_seconds_bucket", **labels, le="10.0") == before + 1


def test_database_queries_are_counted(client: TestClient, studio: Studio) -> None:
    probe_route(client)
    before = scrape(client, studio)
    client.get("/api/probe/1", headers=studio.trainer_a.headers)
    after = scrape(client, studio)
    # The probe's ping, plus the /metrics request's own token check if its cache entry has expired.
    assert sample(after, "elior_db_queries_total") >= sample(before, "elior_db_queries_total") + 1
    assert (sample(after, "elior_db_query_duration_seconds_count")
            >= sample(before, "elior_db_query_duration_seconds_count") + 1)
    assert (sample(after, "elior_db_query_duration_seconds_bucket", le="+Inf")
            == sample(after, "elior_db_query_duration_seconds_count") == sample(after, "elior_db_queries_total"))


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


def test_exercise_cache_misses_then_hits_are_exported(client: TestClient, studio: Studio) -> None:
    make_exercise(client, studio.trainer_a, "Deadlift")
    assert client.get("/api/exercises", headers=studio.client_a1.headers).status_code == 200
    first = scrape(client, studio)
    assert sample(first, "elior_cache_misses_total", cache="exercises") >= 1
    assert sample(first, "elior_cache_entries", cache="exercises") >= 1
    assert client.get("/api/exercises", headers=studio.client_a1.headers).status_code == 200
    second = scrape(client, studio)
    assert (sample(second, "elior_cache_hits_total", cache="exercises")
            == sample(first, "elior_cache_hits_total", cache="exercises") + 1)


def test_each_app_counts_only_its_own_requests(client: TestClient, studio: Studio, settings: Settings) -> None:
    other = create_app(settings.with_overrides(metrics_token=METRICS_TOKEN))
    with TestClient(other) as other_client:
        scraper = {"Authorization": f"Bearer {METRICS_TOKEN}"}
        for _ in range(3):
            client.get("/health")
        other_client.get("/health")
        text = other_client.get("/metrics", headers=scraper).text
    assert sample(text, "elior_http_requests_total", method="GET", route="/health", status=200) == 1
    assert sample(scrape(client, studio), "elior_http_requests_total", method="GET", route="/health", status=200) == 3


def test_openmetrics_when_the_scraper_asks_for_it(client: TestClient, studio: Studio) -> None:
    response = client.get("/metrics", headers={**studio.admin.headers,
                                               "Accept": "application/openmetrics-text; version=1.0.0"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/openmetrics-text; version=1.0.0")
    assert response.text.endswith("# EOF\n")


def test_json_view_has_the_same_figures_as_the_text(client: TestClient, studio: Studio) -> None:
    for _ in range(2):
        client.get("/health")
    body = client.get("/api/system/metrics", headers=studio.admin.headers).json()
    text = scrape(client, studio)  # after the JSON read: /health is not requested in between
    health = [r for r in body["requests"] if r["route"] == "/health"]
    assert health == [{"method": "GET", "route": "/health", "status": 200, "count": 2}]
    timing = [r for r in body["latency"] if r["route"] == "/health"]
    assert len(timing) == 1 and timing[0]["count"] == 2 and timing[0]["buckets"]["+Inf"] == 2
    assert list(timing[0]["buckets"]) == [*map(str, metrics.LATENCY_BUCKETS), "+Inf"]
    assert timing[0]["sum_seconds"] == round(sample(text, "elior_http_request_duration_seconds_sum",
                                                    method="GET", route="/health"), 6)
    assert body["database"]["latency_buckets"]["+Inf"] == body["database"]["queries"] >= 1
    assert set(body["caches"]) >= {"auth_claims", "auth_sessions", "users"}
    assert body["open_sockets"] == 0 and body["uptime_seconds"] >= 0
    assert body["login_failures"] == sample(text, "elior_login_failures_total")


def test_statement_histogram_is_cumulative_and_counts_a_bound_in_its_own_bucket() -> None:
    histogram = Histogram(buckets=(0.01, 0.1))
    for seconds in (0.005, 0.01, 0.05, 3.0):
        histogram.observe(seconds)
    assert histogram.cumulative() == [("0.01", 2), ("0.1", 3), ("+Inf", 4)]  # `le` is "at or below"
    assert (histogram.count, round(histogram.total, 3)) == (4, 3.065)

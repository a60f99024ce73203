"""Metrics for Prometheus (`/metrics`) and the admin's JSON view (`/api/system/metrics`), on `prometheus_client`.

Why it is built this way:
- Each app has a `CollectorRegistry` of its own (`for_app(app)`, kept in `app.state.metrics`), never the library's
  global one: tests create many apps in one process, and the global registry refuses a second metric of one name.
  In production one process serves one app, so a scrape target still sees one process, as Prometheus expects.
- Requests are recorded with the library's `Counter` and `Histogram`, labelled by route template
  (`/api/workouts/{id}`, never the raw path) and by a known HTTP method, so neither ids nor invented methods can
  blow up the number of series. The labelled children are kept per (method, route, status): `labels()` costs more
  than the observation itself, and this runs once per request.
- Figures that other modules own (the database's `db.stats`, the hub's open sockets, the caches' hit counters) are
  read at scrape time by a custom collector, the library's pattern for exporting a value kept elsewhere.
- `db.stats` times statements with the cheap `Histogram` of elior/ops/histogram.py (one bisect, no lock, no
  registry); the collector exports it as a histogram family.
- The process collectors (`process_*`, `python_info`, `python_gc_*`) come with every registry.

Other modules only touch the small public API:

    metrics.LOGIN_FAILURES.inc()                 # a failed sign-in (elior/accounts/auth.py, record_failure)
    metrics.register_cache("exercises", cache)   # a TTLCache whose hits and misses to export
    metrics.observe_request(scope, status, s)    # one HTTP request (the access log, elior/web/middleware.py)
"""
from __future__ import annotations

import time
import weakref
from typing import TYPE_CHECKING, Any, Iterator

import prometheus_client as prom
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.samples import Sample
from starlette.types import Scope

from elior.ops.cache import TTLCache
from elior.ops.histogram import LATENCY_BUCKETS

# Re-exported only for elior/db/database.py, until it imports elior.ops.histogram itself (then this line goes).
from elior.ops.histogram import Histogram as Histogram
from elior.web.routing import template

if TYPE_CHECKING:
    from starlette.applications import Starlette

# The `*_created` series double every labelled counter and histogram and no dashboard of ours reads them.
prom.disable_created_metrics()

# Any other method a client invents is counted as "other": a label value must come from a closed set.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


# Process-wide (the accounts module has no app at hand); registered into every app's registry.
LOGIN_FAILURES = prom.Counter("elior_login_failures", "Failed sign-in attempts.", registry=None)
STARTED_AT = time.time()
_CACHES: list[tuple[str, "weakref.ReferenceType[TTLCache[Any]]"]] = []


def register_cache(name: str, cache: TTLCache[Any]) -> None:
    """Export a cache's hits and misses under `name`; several live caches of one name are added up."""
    _CACHES.append((name, weakref.ref(cache)))


def cache_figures() -> dict[str, dict[str, int]]:
    figures: dict[str, dict[str, int]] = {}
    live: list[tuple[str, "weakref.ReferenceType[TTLCache[Any]]"]] = []
    for name, ref in _CACHES:
        cache = ref()
        if cache is None:
            continue  # its owner is gone (a test's app): forget it
        live.append((name, ref))
        entry = figures.setdefault(name, {"hits": 0, "misses": 0, "size": 0})
        entry["hits"] += cache.hits
        entry["misses"] += cache.misses
        entry["size"] += len(cache)
    _CACHES[:] = live
    return figures


def open_sockets(app: "Starlette") -> int:
    """WebSockets open now, as the live-updates hub counts them."""
    return max(0, int(app.state.hub.open_sockets))


def route_template(scope: Scope) -> str:
    """The matched route's path (`/api/workouts/{id:int}` becomes `/api/workouts/{id}`), or a fixed label."""
    path = getattr(scope.get("route"), "path", None)
    if path is None:
        return "unmatched"
    if path == "/{path:path}":
        return "static"  # the SPA catch-all: every file and page of the browser app under one label
    return template(path)  # the same name /openapi.json gives the route


class AppMetrics:
    """One app's registry: its request metrics, the process collectors and the collector of figures kept elsewhere."""

    def __init__(self, app: "Starlette") -> None:
        self.registry = prom.CollectorRegistry()
        self.requests = prom.Counter("elior_http_requests", "HTTP requests by method, route template and status.",
                                     ("method", "route", "status"), registry=self.registry)
        self.latency = prom.Histogram("elior_http_request_duration_seconds", "Time to answer an HTTP request.",
                                      ("method", "route"), buckets=LATENCY_BUCKETS, registry=self.registry)
        self.registry.register(LOGIN_FAILURES)
        self.registry.register(_Figures(app))
        prom.ProcessCollector(registry=self.registry)
        prom.PlatformCollector(registry=self.registry)
        prom.GCCollector(registry=self.registry)
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}

    def observe(self, scope: Scope, status: int, seconds: float) -> None:
        method = scope["method"] if scope["method"] in METHODS else "other"
        route = scope.get("route")
        key = (method, getattr(route, "path", ""), status)
        children = self._children.get(key)
        if children is None:
            name = route_template(scope)
            children = self._children[key] = (self.requests.labels(method, name, str(status)),
                                              self.latency.labels(method, name))
        children[0].inc()
        children[1].observe(seconds)


class _Figures:
    """Read at scrape time: the database's statement counts, open sockets, uptime and the caches."""

    def __init__(self, app: "Starlette") -> None:
        self.app = weakref.ref(app)  # the registry lives in app.state: no cycle through the collector

    def collect(self) -> Iterator[Metric]:
        app = self.app()
        if app is None:
            return
        stats = app.state.db.stats
        yield CounterMetricFamily("elior_db_queries", "SQL statements sent to the database.", value=stats.count)
        yield CounterMetricFamily("elior_db_query_errors", "SQL statements that raised.", value=stats.errors)
        yield HistogramMetricFamily("elior_db_query_duration_seconds", "Time per SQL statement.",
                                    buckets=stats.latency.cumulative(), sum_value=stats.latency.total)
        yield GaugeMetricFamily("elior_open_websockets", "WebSocket connections open now.", value=open_sockets(app))
        yield GaugeMetricFamily("elior_uptime_seconds", "Seconds since this process started.",
                                value=time.time() - STARTED_AT)
        families = {key: kind(metric, f"In-process TTL cache {key} by cache.", labels=("cache",))
                    for key, metric, kind in (("hits", "elior_cache_hits", CounterMetricFamily),
                                              ("misses", "elior_cache_misses", CounterMetricFamily),
                                              ("size", "elior_cache_entries", GaugeMetricFamily))}
        for name, figures in sorted(cache_figures().items()):
            for key, family in families.items():
                family.add_metric((name,), figures[key])
        yield from families.values()
        yield from _housekeeping(app)


def _housekeeping(app: "Starlette") -> Iterator[Metric]:
    """The housekeeping rounds (elior/ops/housekeeping.py), when the app runs them: rounds, and what each step did."""
    housekeeping = getattr(app.state, "housekeeping", None)
    if housekeeping is None:
        return
    figures = housekeeping.figures()
    yield CounterMetricFamily("elior_housekeeping_rounds", "Housekeeping rounds this process ran.",
                              value=figures["rounds"])
    yield CounterMetricFamily("elior_housekeeping_skipped", "Housekeeping rounds skipped: another process ran them.",
                              value=figures["skipped"])
    yield CounterMetricFamily("elior_housekeeping_step_failures", "Housekeeping steps that raised.",
                              value=figures["failures"])
    removed = CounterMetricFamily("elior_housekeeping_items", "Things each housekeeping step removed (or, for "
                                  "missing_files, found), over every round.", labels=("step",))
    for step, count in sorted(figures["totals"].items()):
        removed.add_metric((step,), count)
    yield removed
    if figures["last_round_at"] is not None:
        yield GaugeMetricFamily("elior_housekeeping_last_round_timestamp_seconds", "When the last round ran.",
                                value=figures["last_round_at"])


def for_app(app: "Starlette") -> AppMetrics:
    """The app's metrics, made on first use (create_app need not know about them)."""
    found: AppMetrics | None = getattr(app.state, "metrics", None)
    if found is None:
        found = app.state.metrics = AppMetrics(app)
    return found


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    """Count one HTTP request by method, route template and status, and time it (called by the access log)."""
    app = scope.get("app")
    if app is not None:  # Starlette sets it before any middleware runs; a bare ASGI wrapper has none to count into
        for_app(app).observe(scope, status, seconds)


def exposition(app: "Starlette", accept: str = "") -> tuple[bytes, str]:
    """The body and content type the scraper asked for: text 0.0.4 by default, OpenMetrics when it says so."""
    encoder, content_type = choose_encoder(accept)
    return encoder(for_app(app).registry), content_type


def snapshot(app: "Starlette") -> dict[str, Any]:
    """Everything as JSON: the same figures `/metrics` exports, read from the same registry."""
    metrics = for_app(app)
    requests = [{"method": s.labels["method"], "route": s.labels["route"], "status": int(s.labels["status"]),
                 "count": int(s.value)} for s in _samples(metrics.requests) if s.name.endswith("_total")]
    latency: dict[tuple[str, str], dict[str, Any]] = {}
    for sample in _samples(metrics.latency):
        method, route = sample.labels["method"], sample.labels["route"]
        entry = latency.setdefault((method, route), {"method": method, "route": route, "count": 0,
                                                     "sum_seconds": 0.0, "buckets": {}})
        if sample.name.endswith("_bucket"):
            entry["buckets"][sample.labels["le"]] = int(sample.value)
        elif sample.name.endswith("_count"):
            entry["count"] = int(sample.value)
        elif sample.name.endswith("_sum"):
            entry["sum_seconds"] = round(sample.value, 6)
    stats = app.state.db.stats
    return {
        "uptime_seconds": round(time.time() - STARTED_AT, 3),
        "requests": sorted(requests, key=lambda r: (r["method"], r["route"], r["status"])),
        "latency": [latency[key] for key in sorted(latency)],
        "database": {"queries": stats.count, "seconds": round(stats.seconds, 6), "errors": stats.errors,
                     "latency_buckets": dict(stats.latency.cumulative())},
        "login_failures": int(next(s.value for s in _samples(LOGIN_FAILURES) if s.name.endswith("_total"))),
        "open_sockets": open_sockets(app),
        "caches": cache_figures(),
    }


def _samples(collector: prom.Counter | prom.Histogram) -> list[Sample]:
    """Every sample a library metric exports now (through its public `collect()`)."""
    return [sample for family in collector.collect() for sample in family.samples]

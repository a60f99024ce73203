"""Process-wide metrics for Prometheus (`/metrics`) and the admin's JSON view (`/api/system/metrics`).

Counters live in this module, one set per process (as Prometheus expects: each process is one scrape target).
Other modules only touch the small public API:

    metrics.LOGIN_FAILURES.inc()          # a failed login (the accounts module)
    metrics.OPEN_SOCKETS.inc() / .dec()   # a WebSocket opened / closed, for an app without `state.hub`
    metrics.register_cache("exercises", cache)   # a module-level TTLCache whose hits and misses to export

Requests are counted by route template (`/api/workouts/{id}`), never by raw path, so ids cannot blow up the number
of series. Database figures come from each app's `db.stats`.
"""
from __future__ import annotations

import bisect
import time
import weakref
from typing import TYPE_CHECKING, Any, Iterable

from starlette.types import Scope

from elior.ops.cache import TTLCache

if TYPE_CHECKING:
    from starlette.applications import Starlette

# Seconds. Fine below 100 ms, where a healthy request of this service lands, coarse above it.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Counter:
    def __init__(self) -> None:
        self.value = 0

    def inc(self, amount: int = 1) -> None:
        self.value += amount


class Gauge:
    def __init__(self) -> None:
        self.value = 0

    def inc(self, amount: int = 1) -> None:
        self.value += amount

    def dec(self, amount: int = 1) -> None:
        self.value -= amount

    def set(self, value: int) -> None:
        self.value = value


class Histogram:
    """Cumulative buckets as Prometheus wants them, kept as plain counts per bucket (one bisect per observation)."""

    def __init__(self, buckets: tuple[float, ...] = LATENCY_BUCKETS) -> None:
        self.buckets = buckets
        self.counts = [0] * (len(buckets) + 1)  # the last one is +Inf
        self.total = 0.0
        self.count = 0

    def observe(self, seconds: float) -> None:
        self.counts[bisect.bisect_left(self.buckets, seconds)] += 1
        self.total += seconds
        self.count += 1

    def cumulative(self) -> list[tuple[str, int]]:
        running, result = 0, []
        for bound, count in zip([*map(_number, self.buckets), "+Inf"], self.counts):
            running += count
            result.append((bound, running))
        return result


LOGIN_FAILURES = Counter()
OPEN_SOCKETS = Gauge()
STARTED_AT = time.time()
REQUESTS: dict[tuple[str, str, int], int] = {}
LATENCY: dict[tuple[str, str], Histogram] = {}
_CACHES: list[tuple[str, "weakref.ReferenceType[TTLCache[Any]]"]] = []


def register_cache(name: str, cache: TTLCache[Any]) -> None:
    """Export a cache's hits and misses under `name`; several live caches of one name are added up."""
    _CACHES.append((name, weakref.ref(cache)))


def cache_figures(app: "Starlette | None" = None) -> dict[str, dict[str, int]]:
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


def open_sockets(app: "Starlette | None" = None) -> int:
    """WebSockets open now: the live-updates hub's own count when the app has one, else the gauge."""
    hub = getattr(getattr(app, "state", None), "hub", None)
    count = getattr(hub, "open_sockets", None)
    return max(0, int(count if isinstance(count, int) else OPEN_SOCKETS.value))


def route_template(scope: Scope) -> str:
    """The matched route's path (`/api/workouts/{id:int}` becomes `/api/workouts/{id}`), or a fixed label."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return "unmatched"
    if path == "/{path:path}":
        return "static"  # the SPA catch-all: every file and page of the browser app under one label
    return _strip_converters(path)


def _strip_converters(path: str) -> str:
    while ":" in path and "{" in path:
        start = path.index("{")
        colon = path.find(":", start)
        end = path.find("}", start)
        if colon == -1 or end == -1 or colon > end:
            break
        path = path[:colon] + path[end:]
    return path


def observe_request(scope: Scope, status: int, seconds: float) -> None:
    """Count one HTTP request by method, route template and status, and time it (called by the access log)."""
    template = route_template(scope)
    key = (scope["method"], template, status)
    REQUESTS[key] = REQUESTS.get(key, 0) + 1
    histogram = LATENCY.get((scope["method"], template))
    if histogram is None:
        histogram = LATENCY[(scope["method"], template)] = Histogram()
    histogram.observe(seconds)


def snapshot(app: "Starlette") -> dict[str, Any]:
    """Everything as JSON: the same figures `/metrics` exports."""
    stats = app.state.db.stats
    return {
        "uptime_seconds": round(time.time() - STARTED_AT, 3),
        "requests": [{"method": m, "route": r, "status": s, "count": c} for (m, r, s), c in sorted(REQUESTS.items())],
        "latency": [{"method": m, "route": r, "count": h.count, "sum_seconds": round(h.total, 6),
                     "buckets": dict(h.cumulative())} for (m, r), h in sorted(LATENCY.items())],
        "database": {"queries": stats.count, "seconds": round(stats.seconds, 6), "errors": stats.errors,
                     "latency_buckets": dict(stats.latency.cumulative())},
        "login_failures": LOGIN_FAILURES.value,
        "open_sockets": open_sockets(app),
        "caches": cache_figures(app),
    }


def _number(value: float) -> str:
    return repr(float(value)) if value != int(value) else f"{value:.1f}"


def _labels(**labels: Any) -> str:
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in labels.items())
    return "{" + inner + "}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _histogram_lines(name: str, histogram: Histogram, **labels: Any) -> Iterable[str]:
    for bound, count in histogram.cumulative():
        yield f"{name}_bucket{_labels(**labels, le=bound)} {count}"
    yield f"{name}_sum{_labels(**labels) if labels else ''} {histogram.total:.6f}"
    yield f"{name}_count{_labels(**labels) if labels else ''} {histogram.count}"


def prometheus_text(app: "Starlette") -> str:
    """The text exposition format, version 0.0.4."""
    stats = app.state.db.stats
    lines = [
        "# HELP elior_http_requests_total HTTP requests by method, route template and status.",
        "# TYPE elior_http_requests_total counter",
    ]
    for (method, route, status), count in sorted(REQUESTS.items()):
        lines.append(f"elior_http_requests_total{_labels(method=method, route=route, status=status)} {count}")
    lines += ["# HELP elior_http_request_duration_seconds Time to answer an HTTP request.",
              "# TYPE elior_http_request_duration_seconds histogram"]
    for (method, route), histogram in sorted(LATENCY.items()):
        lines += _histogram_lines("elior_http_request_duration_seconds", histogram, method=method, route=route)
    lines += ["# HELP elior_db_queries_total SQL statements sent to the database.",
              "# TYPE elior_db_queries_total counter", f"elior_db_queries_total {stats.count}",
              "# HELP elior_db_query_errors_total SQL statements that raised.",
              "# TYPE elior_db_query_errors_total counter", f"elior_db_query_errors_total {stats.errors}",
              "# HELP elior_db_query_duration_seconds Time per SQL statement.",
              "# TYPE elior_db_query_duration_seconds histogram"]
    lines += _histogram_lines("elior_db_query_duration_seconds", stats.latency)
    lines += ["# HELP elior_login_failures_total Failed sign-in attempts.",
              "# TYPE elior_login_failures_total counter", f"elior_login_failures_total {LOGIN_FAILURES.value}",
              "# HELP elior_open_websockets WebSocket connections open now.",
              "# TYPE elior_open_websockets gauge", f"elior_open_websockets {open_sockets(app)}",
              "# HELP elior_uptime_seconds Seconds since this process started.",
              "# TYPE elior_uptime_seconds gauge", f"elior_uptime_seconds {time.time() - STARTED_AT:.3f}"]
    caches = cache_figures(app)
    for metric, key, kind in (("elior_cache_hits_total", "hits", "counter"),
                              ("elior_cache_misses_total", "misses", "counter"),
                              ("elior_cache_entries", "size", "gauge")):
        lines += [f"# HELP {metric} In-process TTL cache {key} by cache.", f"# TYPE {metric} {kind}"]
        lines += [f"{metric}{_labels(cache=name)} {figures[key]}" for name, figures in sorted(caches.items())]
    return "\n".join(lines) + "\n"

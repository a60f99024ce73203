"""The System section of the contract beyond /health: detailed health, metrics, recent logs (all for admins).

`/metrics` also answers a Prometheus scraper holding `METRICS_TOKEN`, so a monitoring host needs no admin account;
it checks the token itself (not through `access=`) because a scraper's token is not a user's. The exposition is
`prometheus_client`'s (elior/ops/metrics.py), in the format the scraper's Accept header asks for.

The log `level` takes DEBUG or debug alike but declares one upper-case enum, the names `logging` uses: an enum
listing both spellings is a duplicate to client generators (openapi-python-client stops on it).
"""
from __future__ import annotations

import hmac
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.responses import Response

from elior import __version__
from elior.ops import logs, metrics
from elior.web.auth import bearer_token
from elior.web.errors import ApiError, envelope
from elior.web.responses import JSONResponse
from elior.web.routing import Call
from elior.web.schema import Bool, Int, Number, Object, Problem, Schema, Str

DISK_SPACE = Schema("DiskSpace", {
    "free_bytes": Int(required=True, minimum=0, maximum=2 ** 62),
    "total_bytes": Int(required=True, minimum=0, maximum=2 ** 62),
    "free_percent": Number(required=True, minimum=0, maximum=100),
})
DATABASE_HEALTH = Schema("DatabaseHealth", {
    "backend": Str(required=True, enum=("sqlite", "postgresql")),
    "ok": Bool(required=True),
    "latency_ms": Number(required=True, nullable=True, minimum=0, description="time of one `SELECT 1`"),
})
DISKS = Schema("DiskHealth", {
    "data": Object(schema_=DISK_SPACE, required=True),
    "uploads": Object(schema_=DISK_SPACE, required=True),
})
SYSTEM_HEALTH = Schema("SystemHealth", {
    "status": Str(required=True, enum=("ok", "degraded")),
    "version": Str(required=True),
    "uptime_seconds": Number(required=True, minimum=0),
    "database": Object(schema_=DATABASE_HEALTH, required=True),
    "disk": Object(schema_=DISKS, required=True),
    "open_sockets": Int(required=True, minimum=0),
})
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True, kw_only=True)
class UpperChoice(Str):
    """A `Str` with an upper-case `enum` that also accepts the lower-case spelling, cleaned to upper case."""

    def clean(self, value: Any, coerce: bool) -> Any:
        if not isinstance(value, str):
            raise Problem("must be a string", "type_error.str")
        # ASCII only: str.upper() would turn a dotless "ınfo" into INFO.
        return super().clean(value.upper() if value.isascii() else value, coerce)


LOG_QUERY = Schema("LogQuery", {
    "level": UpperChoice(enum=LEVELS, default="INFO", max_length=8,
                         description="the lowest level to show (any case: `warning` is `WARNING`)"),
    "limit": Int(minimum=1, maximum=1000, default=100, description="newest first, at most 1000"),
})


def _disk(path: Path) -> dict[str, Any]:
    """Free space on the file system holding `path` (or its nearest existing parent: uploads may not exist yet)."""
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    usage = shutil.disk_usage(path)
    return {"free_bytes": usage.free, "total_bytes": usage.total,
            "free_percent": round(100.0 * usage.free / usage.total, 2) if usage.total else 0.0}


async def _database(call: Call) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await call.db.fetch_val("ops.system.ping")
    except Exception:  # the health answer is the place to report a broken database, not to crash on it
        return {"backend": call.db.dialect, "ok": False, "latency_ms": None}
    return {"backend": call.db.dialect, "ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 3)}


async def health_detailed(call: Call) -> Response:
    """Version, uptime, the database and its measured latency, free disk, open WebSockets. 503 when degraded."""
    database = await _database(call)
    report = {
        "status": "ok" if database["ok"] else "degraded",
        "version": __version__,
        "uptime_seconds": round(time.time() - metrics.STARTED_AT, 3),
        "database": database,
        "disk": {"data": _disk(call.settings.data_dir), "uploads": _disk(call.settings.upload_dir)},
        "open_sockets": metrics.open_sockets(call.request.app),
    }
    if not database["ok"]:
        return envelope(503, report)
    return JSONResponse(report)


async def prometheus(call: Call) -> Response:
    """Prometheus text 0.0.4, or OpenMetrics if Accept asks. An admin's token, or Bearer <METRICS_TOKEN>."""
    token = bearer_token(call.request)
    expected = call.settings.metrics_token
    by_token = bool(expected and token and hmac.compare_digest(token.encode(), expected.encode()))
    if not by_token:
        if not call.user.is_authenticated:
            raise ApiError(401, "send an admin's token or METRICS_TOKEN as Authorization: Bearer",
                           headers={"WWW-Authenticate": "Bearer"})
        if call.user.role != "admin":
            raise ApiError(403, "this needs the role admin")
    body, content_type = metrics.exposition(call.request.app, call.request.headers.get("accept", ""))
    return Response(body, headers={"Content-Type": content_type})


async def metrics_json(call: Call) -> Response:
    """The same figures as /metrics, as JSON."""
    return JSONResponse(metrics.snapshot(call.request.app))


async def recent_logs(call: Call) -> Response:
    """The newest structured log records kept in memory (a bounded buffer), at or above `level`."""
    records = logs.RECENT.recent(call.query["level"], call.query["limit"])
    return JSONResponse({"items": records, "total": len(records)})

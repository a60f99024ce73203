"""Structured logs: one JSON object per line on stderr, and the recent records in memory for /api/system/logs."""
from __future__ import annotations

import collections
import datetime as dt
import json
import logging
import sys
import traceback
from typing import Any

from elior import clock

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the JSON.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName", "color_message"}
# Never written to a log, whatever a caller passes in `extra=`.
_SECRET_KEYS = {"password", "token", "access_token", "refresh_token", "authorization", "secret_key"}


def record_to_dict(record: logging.LogRecord) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "at": clock.iso(dt.datetime.fromtimestamp(record.created, dt.timezone.utc)),
        "level": record.levelname,
        "logger": record.name,
        "message": record.getMessage(),
    }
    for key, value in vars(record).items():
        if key not in _STANDARD and not key.startswith("_"):
            entry[key] = "[redacted]" if key.lower() in _SECRET_KEYS else value
    if record.exc_info:
        entry["exception"] = "".join(traceback.format_exception(*record.exc_info)).strip()
    return entry


class JSONFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(record_to_dict(record), default=str)


class RingBuffer(logging.Handler):
    """The last `capacity` records, bounded, for the admin's log view."""

    def __init__(self, capacity: int = 1000) -> None:
        super().__init__()
        self.records: collections.deque[dict[str, Any]] = collections.deque(maxlen=capacity)

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record_to_dict(record))

    def recent(self, level: str = "DEBUG", limit: int = 100) -> list[dict[str, Any]]:
        threshold = logging.getLevelName(level)
        matching = [r for r in self.records if logging.getLevelName(r["level"]) >= threshold]
        return matching[-limit:][::-1]


RECENT = RingBuffer()


def configure(level: str) -> None:
    """Send the service's and uvicorn's logs through the JSON formatter, at `LOG_LEVEL`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JSONFormatter())
    root = logging.getLogger()
    root.handlers = [handler, RECENT]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers = []
        logging.getLogger(name).propagate = True
    # Our access log replaces uvicorn's: it adds the user and the duration, and never logs query strings (tokens).
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("databases").setLevel(max(logging.INFO, logging.getLevelName(level)))

"""Time as the API shows it: UTC, whole seconds, ISO 8601 with a `Z`."""
from __future__ import annotations

import datetime as dt

UTC = dt.timezone.utc
# The widest date range: what a list's `from`/`to` mean when not given (bound, so the SQL range can use its index).
EARLIEST, LATEST = dt.date.min, dt.date.max


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def iso(value: dt.datetime) -> str:
    """`2026-11-27T10:00:00Z` for an aware or naive-UTC datetime."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def today() -> dt.date:
    return now().date()

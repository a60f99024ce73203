"""Time as the API shows it: UTC, whole seconds, ISO 8601 with a `Z`."""
from __future__ import annotations

import datetime as dt

UTC = dt.timezone.utc


def now() -> dt.datetime:
    return dt.datetime.now(UTC).replace(microsecond=0)


def iso(value: dt.datetime) -> str:
    """`2026-11-27T10:00:00Z` for an aware or naive-UTC datetime."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.replace(microsecond=0).isoformat() + "Z"


def today() -> dt.date:
    return now().date()

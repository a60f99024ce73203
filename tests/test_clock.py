"""elior.clock.iso: the one spelling of a timestamp in the API, whatever datetime it is given."""
from __future__ import annotations

import datetime as dt

import pytest

from elior import clock


@pytest.mark.parametrize(("value", "expected"), [
    (dt.datetime(2026, 11, 27, 10, 0, 0, tzinfo=dt.timezone.utc), "2026-11-27T10:00:00Z"),
    (dt.datetime(2026, 11, 27, 10, 0, 5, 999_999, tzinfo=dt.timezone.utc), "2026-11-27T10:00:05Z"),  # dropped
    (dt.datetime(2026, 11, 27, 10, 0, 5, 123_456), "2026-11-27T10:00:05Z"),  # naive means UTC
    (dt.datetime(2026, 11, 27, 12, 30, 0, tzinfo=dt.timezone(dt.timedelta(hours=2, minutes=30))),
     "2026-11-27T10:00:00Z"),
    (dt.datetime(2026, 1, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))), "2025-12-31T22:00:00Z"),
    (dt.datetime(2026, 11, 27, 5, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=-5))), "2026-11-27T10:00:00Z"),
    (dt.datetime(1, 1, 1), "0001-01-01T00:00:00Z"),
])
def test_iso_is_utc_to_the_second_with_a_z(value: dt.datetime, expected: str) -> None:
    assert clock.iso(value) == expected


def test_iso_of_now_round_trips_through_fromisoformat() -> None:
    now = clock.now()
    assert dt.datetime.fromisoformat(clock.iso(now).replace("Z", "+00:00")) == now

"""The cheap latency histogram `db.stats` keeps per SQL statement, exported by elior/ops/metrics.py at scrape time.

Not `prometheus_client.Histogram`: that one needs a name and a registry up front, takes a lock and walks the buckets
on every observation, while this one is plain counts per bucket and one bisect, for the hottest path there is (every
statement sent). It imports nothing of the app, so the database layer can use it without depending on metrics.
"""
from __future__ import annotations

import bisect

from prometheus_client.utils import floatToGoString

# Seconds. Fine below 100 ms, where a healthy request or statement of this service lands, coarse above it.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


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
        """(le, observations at or below it) per bucket, `+Inf` last: the `le` labels as prometheus_client writes."""
        running, result = 0, []
        for bound, count in zip([*map(floatToGoString, self.buckets), "+Inf"], self.counts):
            running += count
            result.append((bound, running))
        return result

"""A token bucket per caller for the whole API, so one script cannot starve a studio.

Signed-in requests draw from their user's bucket; anonymous ones from their address's. Users are not limited by
address because a studio's members often share one (the studio's Wi-Fi). Each bucket holds `burst` tokens and
refills at `per_minute / 60` a second; a request takes one, and an empty bucket answers 429 in the contract's
envelope with `Retry-After` (whole seconds until a token is back). Only `/api/` is limited: `/health`, the browser
app's files and `/metrics` are not.

Pure ASGI and after the authentication middleware, which puts the caller in `scope["user"]`.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Hashable

from starlette.types import ASGIApp, Receive, Scope, Send

from elior.web.errors import envelope

# Buckets of callers not seen for a while are dropped first; a full bucket carries no information anyway.
MAX_BUCKETS = 100_000


class TokenBuckets:
    def __init__(self, per_minute: int, burst: int, max_buckets: int = MAX_BUCKETS) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(max(burst, 1))
        self.max_buckets = max_buckets
        self._buckets: OrderedDict[Hashable, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def take(self, key: Hashable, now: float | None = None) -> float:
        """Take a token: 0.0 when granted, else the seconds until one is available (nothing is taken)."""
        now = time.monotonic() if now is None else now
        tokens, at = self._buckets.get(key, (self.burst, now))
        tokens = min(self.burst, tokens + (now - at) * self.rate)
        if tokens >= 1.0:
            self._buckets[key] = (tokens - 1.0, now)
            self._buckets.move_to_end(key)
            if len(self._buckets) > self.max_buckets:
                self._buckets.popitem(last=False)
            return 0.0
        self._buckets[key] = (tokens, now)
        return (1.0 - tokens) / self.rate

    def __len__(self) -> int:
        return len(self._buckets)


class RateLimit:
    """The ASGI middleware. `per_minute <= 0` turns it off (benchmarks, a trusted single-user install)."""

    def __init__(self, app: ASGIApp, per_minute: int, burst: int) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute, burst) if per_minute > 0 else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.buckets is None or scope["type"] != "http" or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        user = scope.get("user")
        user_id = getattr(user, "id", None)
        key: Hashable = ("user", user_id) if user_id is not None else ("address", _address(scope))
        wait = self.buckets.take(key)
        if wait > 0:
            retry_after = str(max(1, math.ceil(wait)))
            response = envelope(429, f"too many requests; try again in {retry_after} s",
                                headers={"Retry-After": retry_after})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _address(scope: Scope) -> str:
    # uvicorn's --proxy-headers has already put the forwarded client here when the proxy is trusted.
    client = scope.get("client")
    return client[0] if client else "unknown"

"""An in-process TTL cache: size-bounded, on the monotonic clock, with hit and miss counters for /metrics.

With several server processes each keeps its own copy, so a change made through one process is seen by the others
at most `ttl` seconds later; writes invalidate the entries they change in their own process at once.

Hand-written rather than `cachetools.TTLCache` (not a dependency): the readers need the `generation` check of
`set_unless_cleared` (a read that raced a write must not be stored) and /metrics needs hits and misses, which
cachetools' TTLCache does not count; what is left is fifty lines over an OrderedDict.
"""
from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any, Generic, Hashable, TypeVar

V = TypeVar("V")
_MISSING: Any = object()


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, max_size: int = 10_000) -> None:
        self.ttl = ttl
        self.max_size = max_size
        self._items: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self.hits = 0
        self.misses = 0
        # Bumped by every clear(): a reader that fetched before a write's clear() must not store what it read after.
        self.generation = 0

    def get(self, key: Hashable, default: Any = None) -> V | Any:
        item = self._items.get(key, _MISSING)
        if item is _MISSING or item[0] <= time.monotonic():
            if item is not _MISSING:
                del self._items[key]
            self.misses += 1
            return default
        self.hits += 1
        return item[1]

    def set(self, key: Hashable, value: V) -> None:
        self._items[key] = (time.monotonic() + self.ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.max_size:
            self._items.popitem(last=False)  # the oldest insert goes first

    def set_unless_cleared(self, key: Hashable, value: V, generation: int) -> None:
        """Store a value read from the database while the cache was at `generation`, unless a write cleared the cache
        since (the value may predate that write)."""
        if generation == self.generation:
            self.set(key, value)

    def delete(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()
        self.generation += 1

    def __len__(self) -> int:
        return len(self._items)

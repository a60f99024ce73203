"""Password hashing with bcrypt, off the event loop, on a limiter of its own.

A bcrypt hash at cost 12 takes ~300 ms of CPU. Inline it stops the server; in Starlette's shared thread pool it
starves other thread work (DESIGN.md). Here it runs on a few dedicated threads with a short queue; beyond the queue a
caller gets 429 with Retry-After at once instead of waiting behind a login storm.
"""
from __future__ import annotations

import hmac

import anyio
import anyio.to_thread
import bcrypt

from elior.errors import ApiError


class PasswordHasher:
    def __init__(self, rounds: int = 12, threads: int = 2, queue: int = 16) -> None:
        self.rounds = rounds
        self._limiter = anyio.CapacityLimiter(threads)
        self._max_waiting = threads + queue
        self._waiting = 0
        # A real hash of a random password, checked when an email is unknown so that both cost the same time.
        self._decoy = bcrypt.hashpw(b"elior-decoy-password", bcrypt.gensalt(rounds)).decode()

    async def _run(self, func, *args):  # type: ignore[no-untyped-def]
        if self._waiting >= self._max_waiting:
            raise ApiError(429, "the server is busy checking passwords; try again in a moment",
                           headers={"Retry-After": "1"})
        self._waiting += 1
        try:
            return await anyio.to_thread.run_sync(func, *args, limiter=self._limiter)
        finally:
            self._waiting -= 1

    async def hash(self, password: str) -> str:
        hashed: bytes = await self._run(bcrypt.hashpw, password.encode(), bcrypt.gensalt(self.rounds))
        return hashed.decode()

    async def verify(self, password: str, hashed: str | None) -> bool:
        """True when the password matches; with no hash (unknown email) it spends the same time and says False."""
        matched: bool = await self._run(_checkpw, password.encode(), (hashed or self._decoy).encode())
        return matched and hashed is not None


def _checkpw(password: bytes, hashed: bytes) -> bool:
    try:
        return bcrypt.checkpw(password, hashed)
    except ValueError:  # a malformed stored hash is a failed check, not a crash
        return False


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())

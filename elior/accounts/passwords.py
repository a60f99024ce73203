"""Password hashing with bcrypt, off the event loop, on a limiter of its own.

A bcrypt hash at cost 12 takes ~300 ms of CPU. Inline it stops the server; in Starlette's shared thread pool it
starves other thread work (measured: p99 5 s). Here it runs on a few threads of its own with a short queue; beyond the queue a
caller gets 429 with Retry-After at once instead of waiting behind a login storm. On Linux those threads also run at a
lower CPU priority (nice 10), so that when bcrypt and the event loop want the same core, the event loop wins: a storm
then slows logins, not every other request (bench/login_storm.py measures it).
"""
from __future__ import annotations

import asyncio
import hmac
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import bcrypt

from elior.web.errors import ApiError


class PasswordHasher:
    def __init__(self, rounds: int = 12, threads: int = 2, queue: int = 16) -> None:
        self.rounds = rounds
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bcrypt",
                                            initializer=_lower_priority)
        self._max_waiting = threads + queue
        self._waiting = 0
        # A real hash of a random password, checked when an email is unknown so that both cost the same time.
        self._decoy = bcrypt.hashpw(b"elior-decoy-password", bcrypt.gensalt(rounds)).decode()

    async def _run(self, func: Callable[..., Any], *args: Any) -> Any:
        if self._waiting >= self._max_waiting:
            raise ApiError(429, "the server is busy checking passwords; try again in a moment",
                           headers={"Retry-After": "1"})
        self._waiting += 1
        try:
            return await asyncio.get_running_loop().run_in_executor(self._executor, func, *args)
        finally:
            self._waiting -= 1

    async def hash(self, password: str) -> str:
        hashed: bytes = await self._run(bcrypt.hashpw, password.encode(), bcrypt.gensalt(self.rounds))
        return hashed.decode()

    async def verify(self, password: str, hashed: str | None) -> bool:
        """True when the password matches; with no hash (unknown email) it spends the same time and says False."""
        matched: bool = await self._run(_checkpw, password.encode(), (hashed or self._decoy).encode())
        return matched and hashed is not None


def _lower_priority() -> None:
    """Runs once in each bcrypt thread: on Linux, nice applies per thread."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not allowed: same priority as the rest
        pass


def _checkpw(password: bytes, hashed: bytes) -> bool:
    try:
        return bcrypt.checkpw(password, hashed)
    except ValueError:  # a malformed stored hash is a failed check, not a crash
        return False


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())

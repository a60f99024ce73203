"""Password hashing with bcrypt, off the event loop, on a limiter of its own.

A bcrypt hash at cost 12 takes ~300 ms of CPU. Inline it stops the server; in Starlette's shared thread pool it
starves other thread work (measured: p99 5 s). Here it runs on a few threads of its own with a short queue; beyond the
queue a caller gets 429 with Retry-After at once instead of waiting behind a login storm. On Linux those threads also
run at a lower CPU priority (nice 10), so that when bcrypt and the event loop want the same core, the event loop wins:
a storm then slows logins, not every other request (bench/login_storm.py measures it).

bcrypt reads at most 72 bytes (bcrypt 5 raises beyond them), and passwords go up to 1,024. So the password is first
pre-hashed: HMAC-SHA-256 keyed with the server's pepper, in base64 (44 bytes, never a NUL, which would end bcrypt's
input early). Every byte counts, and a leaked database alone cannot be tested against leaked plain SHA-256 hashes of
other sites (password shucking). Such hashes are stored as `$elior2$` + the bcrypt hash; a hash without the marker
is the plain bcrypt of earlier versions, still checked as it was, and rewritten at the next successful login
(`needs_rehash`), as is a hash of another cost than BCRYPT_ROUNDS.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

import bcrypt

from elior.settings import Settings
from elior.web.errors import ApiError

MARKER = "$elior2$"  # a pre-hashed password's bcrypt hash follows it
PEPPER_LABEL = b"elior.password-pepper"  # keeps the pepper apart from every other use of the same key


def password_pepper(settings: Settings) -> bytes:
    """The HMAC key of the pre-hash: from PASSWORD_PEPPER, else from SECRET_KEY. Derived rather than used as is, so
    that it is never the key that signs tokens. Changing it ends every pre-hashed password."""
    material = settings.password_pepper or settings.secret_key
    return hmac.new(material.encode(), PEPPER_LABEL, hashlib.sha256).digest()


class PasswordHasher:
    def __init__(self, rounds: int = 12, threads: int = 2, queue: int = 16, *, pepper: bytes = b"") -> None:
        self.rounds = rounds
        self._pepper = pepper
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="bcrypt",
                                            initializer=_lower_priority)
        self._max_waiting = threads + queue
        self._waiting = 0
        # A real hash, of the current kind, checked when an email is unknown so that both cost the same time.
        self._decoy = MARKER + bcrypt.hashpw(self._prehash("elior-decoy-password"), bcrypt.gensalt(rounds)).decode()

    @classmethod
    def for_settings(cls, settings: Settings) -> "PasswordHasher":
        """The hasher of a server (the app and the CLI alike): its cost, threads, queue and pepper."""
        return cls(settings.bcrypt_rounds, settings.password_threads, settings.password_queue,
                   pepper=password_pepper(settings))

    def _prehash(self, password: str) -> bytes:
        return base64.b64encode(hmac.new(self._pepper, password.encode(), hashlib.sha256).digest())

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
        hashed: bytes = await self._run(bcrypt.hashpw, self._prehash(password), bcrypt.gensalt(self.rounds))
        return MARKER + hashed.decode()

    async def verify(self, password: str, hashed: str | None) -> bool:
        """True when the password matches; with no hash (unknown email) it spends the same time and says False."""
        stored = hashed or self._decoy
        if stored.startswith(MARKER):
            secret, stored = self._prehash(password), stored[len(MARKER):]
        else:  # an earlier version's plain bcrypt: at most 72 bytes were ever hashed (longer ones fail the check)
            secret = password.encode()
        matched: bool = await self._run(_checkpw, secret, stored.encode())
        return matched and hashed is not None

    def needs_rehash(self, hashed: str) -> bool:
        """A stored hash to rewrite after a successful check: an earlier kind, or another cost than configured."""
        if not hashed.startswith(MARKER):
            return True
        cost = hashed[len(MARKER):].split("$")[2:3]  # "$2b$12$..." -> ["12"]
        return cost != [f"{self.rounds:02d}"]


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

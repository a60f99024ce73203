"""How much work the parsers of untrusted bytes may do: counts per structure, and CPU seconds per upload.

Every parser here (multipart in `uploads`, JPEG/PNG/WebP/HEIC in `exif` and `heif`, PDF copying) does work bounded by
the bytes it reads, and the counts below cap the structures a file may declare (a 6-byte HEIC `iloc` entry can claim
65,535 extents). On top of that, one upload may spend at most UPLOAD_PARSE_SECONDS of CPU time parsing, counted per
thread (`time.thread_time`), so other requests on the same core, or a slow disk, never eat into it: the multipart
parse on the event loop and the rewrite in a worker thread add up into one `Budget`. A file past a limit or the budget
is a 422 (`TooComplex`) and, like every refused upload, nothing of it is kept.

The budget of the upload in progress travels in a context variable: `uploads.receive` starts it, and the worker thread
that rewrites the file sees it because `anyio.to_thread.run_sync` runs the function in a copy of the caller's context.
A parser called outside an upload gets a budget of DEFAULT_SECONDS of its own.
"""
from __future__ import annotations

import contextlib
import contextvars
import time
from typing import Iterator

from elior.web.errors import ValidationError

DEFAULT_SECONDS = 3.0  # UPLOAD_PARSE_SECONDS's default

# Counts a real photo never comes near (an iPhone HEIC has ~50 items with one extent each; a progressive JPEG a few
# dozen segments; an animated PNG or WebP two chunks per frame), and small enough that walking them is cheap.
MAX_BOXES = 4096  # per ISO-BMFF container level
MAX_ITEMS = 16_384  # HEIF items in `iinf` or `iloc`
MAX_EXTENTS = 65_536  # HEIF extents, all items together
MAX_SEGMENTS = 16_384  # JPEG marker segments outside the entropy-coded data
MAX_FILL_BYTES = 65_536  # JPEG 0xFF fill bytes before markers, all together
MAX_CHUNKS = 65_536  # PNG or WebP chunks


class TooComplex(ValidationError):
    """A 422: the file declares more structure than any real photo, or took longer than the budget to check."""

    def __init__(self, msg: str) -> None:
        super().__init__([{"loc": ["body", "file"], "msg": msg, "type": "value_error.too_complex"}])


class Budget:
    """CPU seconds one upload may spend parsing, summed over the stretches it runs in (one thread at a time)."""

    def __init__(self, seconds: float = DEFAULT_SECONDS) -> None:
        self.seconds = seconds
        self.spent = 0.0
        self._since: float | None = None  # thread_time() at the start of the stretch running now

    @contextlib.contextmanager
    def running(self) -> Iterator["Budget"]:
        """Count the CPU time of this thread while the block runs; a nested stretch is part of the outer one."""
        if self._since is not None:
            yield self
            return
        self._since = time.thread_time()
        try:
            yield self
        finally:
            self.spent += time.thread_time() - self._since
            self._since = None

    def used(self) -> float:
        return self.spent + (time.thread_time() - self._since if self._since is not None else 0.0)

    def check(self) -> None:
        """Called in every parser loop: raise TooComplex once the upload has used up its seconds."""
        if self.used() > self.seconds:
            raise TooComplex(f"the file took more than {self.seconds:g} s of CPU to check (UPLOAD_PARSE_SECONDS); "
                             "it was not kept")


_current: contextvars.ContextVar[Budget | None] = contextvars.ContextVar("elior_parse_budget", default=None)


def start(seconds: float) -> Budget:
    """A fresh budget for the upload running in this context (and the threads it hands work to)."""
    budget = Budget(seconds)
    _current.set(budget)
    return budget


def current() -> Budget:
    """The budget of the upload in progress, or a default one of this call's own."""
    return _current.get() or Budget()


def at_most(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise TooComplex(f"the file has more than {limit} {what}; no real photo has that many")

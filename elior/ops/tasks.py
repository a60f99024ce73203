"""The server's periodic work (reminders, mail, housekeeping): one runner, started and stopped by the lifespan.

Each job is a coroutine function run at start and then every `interval` seconds until shutdown. A job that raises
is logged and tried again next round (the database may be briefly away); it never stops the server or the other
jobs. Jobs that several processes run side by side must claim their work in SQL (a conditional UPDATE, or
`FOR UPDATE SKIP LOCKED`), so that each piece is done once: the runner itself knows nothing of other processes.

Stopping is graceful: a job that is running is let finish (up to `grace` seconds) and only then cancelled. A job
cancelled in the middle of a statement can leave its pool connection checked out on PostgreSQL, and the pool's
close then waits for it forever (seen as a hung shutdown); between rounds a job holds nothing, so the wait for the
next round is what is interrupted.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Awaitable, Callable

from elior.web.errors import log_failure

log = logging.getLogger("elior.tasks")

Job = Callable[[], Awaitable[object]]


@dataclass(frozen=True)
class Periodic:
    name: str
    interval: float
    job: Job
    delay: float = 0.0  # seconds before the first run


class TaskRunner:
    def __init__(self, grace: float = 5.0) -> None:
        self.jobs: list[Periodic] = []
        self.grace = grace
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self.runs: dict[str, int] = {}
        self.failures: dict[str, int] = {}

    def every(self, interval: float, name: str, job: Job, *, delay: float = 0.0) -> None:
        """Run `job` `delay` seconds after start (at once by default) and then every `interval` seconds."""
        self.jobs.append(Periodic(name, interval, job, delay))

    async def start(self) -> None:
        self._stopping = asyncio.Event()
        self._tasks = [asyncio.create_task(self._loop(periodic), name=f"elior-{periodic.name}")
                       for periodic in self.jobs]

    async def stop(self) -> None:
        """Let running jobs finish their round (up to `grace` seconds), then cancel what is still running."""
        self._stopping.set()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=self.grace)
            for task in late:
                log.warning("periodic task still running at shutdown; cancelled", extra={"task": task.get_name()})
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks = []

    async def _pause(self, seconds: float) -> None:
        """Sleep `seconds`, or less when stop() is called meanwhile."""
        try:
            await asyncio.wait_for(self._stopping.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    async def _loop(self, periodic: Periodic) -> None:
        if periodic.delay > 0:
            await self._pause(periodic.delay)
        while not self._stopping.is_set():
            try:
                await periodic.job()
                self.runs[periodic.name] = self.runs.get(periodic.name, 0) + 1
            except asyncio.CancelledError:
                raise
            except Exception as error:
                self.failures[periodic.name] = self.failures.get(periodic.name, 0) + 1
                log_failure(log, "periodic task failed", error, task=periodic.name)
            await self._pause(periodic.interval)

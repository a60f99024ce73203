"""The periodic-task runner: jobs run at start and on their interval, a failing job is retried, stop lets a running
job finish its round and ends them all."""
from __future__ import annotations

import asyncio
import logging
import sqlite3

import pytest

from elior.ops.tasks import TaskRunner


def test_a_job_runs_at_start_and_again_on_its_interval() -> None:
    async def scenario() -> tuple[int, int]:
        calls: list[float] = []

        async def job() -> None:
            calls.append(asyncio.get_running_loop().time())

        runner = TaskRunner()
        runner.every(0.01, "tick", job)
        await runner.start()
        await asyncio.sleep(0)  # the first run happens as soon as the loop turns, not after one interval
        first = len(calls)
        await asyncio.sleep(0.1)
        await runner.stop()
        return first, len(calls)

    first, total = asyncio.run(scenario())
    assert first == 1 and total >= 3


def test_a_failing_job_is_logged_and_retried_and_others_go_on() -> None:
    async def scenario() -> TaskRunner:
        async def broken() -> None:
            raise RuntimeError("database away")

        async def fine() -> None:
            pass

        runner = TaskRunner()
        runner.every(0.01, "broken", broken)
        runner.every(0.01, "fine", fine)
        await runner.start()
        for _ in range(500):  # until both have had two rounds (a loaded machine logs slowly), at most 5 s
            if runner.failures.get("broken", 0) >= 2 and runner.runs.get("fine", 0) >= 2:
                break
            await asyncio.sleep(0.01)
        await runner.stop()
        return runner

    runner = asyncio.run(scenario())
    assert runner.failures["broken"] >= 2 and runner.runs["fine"] >= 2 and "broken" not in runner.runs


def test_stop_cancels_a_job_still_running_after_the_grace() -> None:
    async def scenario() -> list[bool]:
        runner = TaskRunner(grace=0.05)
        runner.every(3600, "slow", lambda: asyncio.sleep(3600))
        await runner.start()
        tasks = list(runner._tasks)
        await runner.stop()
        return [task.done() for task in tasks]

    assert asyncio.run(scenario()) == [True]


def test_stop_lets_a_running_job_finish_its_round_instead_of_cancelling_it_mid_statement() -> None:
    """A job cancelled mid-statement leaves its PostgreSQL pool connection checked out, and the pool's close then
    hangs; so a round in progress is waited for, and only the pause after it is cut short."""
    async def scenario() -> tuple[list[str], float]:
        steps: list[str] = []
        started = asyncio.Event()

        async def job() -> None:
            steps.append("begun")
            started.set()
            await asyncio.sleep(0.1)  # a statement in flight
            steps.append("finished")

        runner = TaskRunner(grace=5)
        runner.every(3600, "sweep", job)
        await runner.start()
        await started.wait()
        loop = asyncio.get_running_loop()
        begun = loop.time()
        await runner.stop()
        return steps, loop.time() - begun

    steps, took = asyncio.run(scenario())
    assert steps == ["begun", "finished"]  # once: the hour-long pause after the round ended at stop, not a rerun
    assert took < 2


def test_a_delayed_job_first_runs_after_its_delay() -> None:
    async def scenario() -> tuple[int, int]:
        calls: list[float] = []

        async def job() -> None:
            calls.append(asyncio.get_running_loop().time())

        runner = TaskRunner()
        runner.every(3600, "later", job, delay=0.1)
        await runner.start()
        await asyncio.sleep(0.02)
        early = len(calls)
        await asyncio.sleep(0.2)
        await runner.stop()
        return early, len(calls)

    assert asyncio.run(scenario()) == (0, 1)


def test_a_job_meeting_an_outage_logs_one_line_and_a_bug_its_trace(caplog: pytest.LogCaptureFixture) -> None:
    """A job every few seconds during an outage would write a trace each round: the database being away is said in
    one line (as a request's 503 is), while a bug keeps its trace."""
    async def scenario() -> None:
        async def away() -> None:
            raise sqlite3.OperationalError("database is locked")

        async def bug() -> None:
            raise KeyError("oops")

        runner = TaskRunner()
        runner.every(3600, "away", away)
        runner.every(3600, "bug", bug)
        await runner.start()
        await asyncio.sleep(0.05)
        await runner.stop()

    with caplog.at_level(logging.ERROR, logger="elior.tasks"):
        asyncio.run(scenario())
    by_task = {record.task: record for record in caplog.records}  # type: ignore[attr-defined]
    assert by_task["away"].exc_info is None and "database unavailable" in by_task["away"].getMessage()
    assert by_task["bug"].exc_info is not None

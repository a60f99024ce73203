"""The periodic-task runner: jobs run at start and on their interval, a failing job is retried, stop ends them all."""
from __future__ import annotations

import asyncio

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
        await asyncio.sleep(0.08)
        await runner.stop()
        return runner

    runner = asyncio.run(scenario())
    assert runner.failures["broken"] >= 2 and runner.runs["fine"] >= 2 and "broken" not in runner.runs


def test_stop_cancels_every_job() -> None:
    async def scenario() -> list[bool]:
        runner = TaskRunner()
        runner.every(3600, "slow", lambda: asyncio.sleep(3600))
        await runner.start()
        tasks = list(runner._tasks)
        await runner.stop()
        return [task.done() for task in tasks]

    assert asyncio.run(scenario()) == [True]

"""A server process's mail sender on its own, for tests that kill it: `python -m tests.mail.sender_process`.

It does what the lifespan does for mail (connect, migrate, `MailSender.start()`, `stop()` on SIGTERM) with the
settings from the environment, and prints `ready` once the sender runs. `ELIOR_TEST_CLOCK_OFFSET_SECONDS` moves its
`elior.clock.now()` ahead: a later process, as if it started that much later. Once the lead has wired the sender
into `create_app`'s lifespan, a test can start `python -m elior serve` the same way instead.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal

from elior import clock
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.mail.sender import MailSender
from elior.ops import logs
from elior.settings import Settings


async def serve(settings: Settings) -> None:
    db = Database(settings.database_url)
    await db.connect()
    try:
        await migrate(db)
        sender = MailSender(settings, db)
        stopping = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
        await sender.start()
        print("ready", flush=True)
        await stopping.wait()
        await sender.stop()
    finally:
        await db.disconnect()


def main() -> None:
    offset = dt.timedelta(seconds=float(os.environ.get("ELIOR_TEST_CLOCK_OFFSET_SECONDS", "0")))
    if offset:
        real_now = clock.now
        clock.now = lambda: real_now() + offset  # type: ignore[assignment]
    settings = Settings.from_env()
    logs.configure(settings.log_level)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()

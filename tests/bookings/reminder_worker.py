"""A server process's reminder sweep on its own, for the test that two processes remind each session once.

    python -m tests.bookings.reminder_worker --database-url URL --data-dir DIR --at EPOCH

Builds the real app (create_app, its lifespan: migrations, the hub and its outbox, the mail sender), waits until
`--at` so that both processes start claiming together, claims one reminder per transaction (jobs.BATCH = 1, so the
two interleave), and prints the appointment ids it reminded as JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import time
from pathlib import Path

from elior.app import create_app
from elior.bookings import jobs
from elior.settings import Settings


async def main(database_url: str, data_dir: Path, at: float) -> list[int]:
    settings = Settings(database_url=database_url, data_dir=data_dir, upload_dir=data_dir / "uploads",
                        secret_key="reminder-worker-secret-key-long-enough-for-hs256", studio_timezone="Europe/Berlin",
                        reminder_hours=24, smtp_host="127.0.0.1", smtp_port=9, smtp_starttls=False,
                        mail_from="studio@example.test")
    app = create_app(settings)
    jobs.BATCH = 1
    async with app.router.lifespan_context(app):
        await asyncio.sleep(max(0.0, at - time.time()))
        return await jobs.send_reminders(app.state)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--at", type=float, required=True)
    options = parser.parse_args()
    print(json.dumps(asyncio.run(main(options.database_url, options.data_dir, options.at))))

"""Fixtures of the mail tests: settings that point at a test SMTP server, an open migrated database, a clock the test
moves. Each test runs its async part with `asyncio.run`, so the database and the sender live on one loop."""
from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest

from elior import clock
from elior.db.database import Database
from elior.db.migrations import migrate
from elior.settings import Settings

SENDER = "Elior Studio <studio@example.test>"


@contextlib.asynccontextmanager
async def opened(url: str) -> AsyncIterator[Database]:
    db = Database(url)
    await db.connect()
    try:
        await migrate(db)
        yield db
    finally:
        await db.disconnect()


@pytest.fixture
def mail_settings(database_url: str, tmp_path: Path) -> Callable[..., Settings]:
    """Settings with mail on, towards 127.0.0.1:`port` without STARTTLS (the test's own server), and overrides."""

    def make(port: int, **overrides: Any) -> Settings:
        values: dict[str, Any] = {"database_url": database_url, "data_dir": tmp_path, "upload_dir": tmp_path / "up",
                                  "secret_key": "test-secret-key-that-is-long-enough-for-hs256", "bcrypt_rounds": 4,
                                  "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_starttls": False,
                                  "mail_from": SENDER, "smtp_timeout": 10.0}
        values.update(overrides)
        return Settings(**values)

    return make


class MovableClock:
    """`elior.clock.now()` stands still at real time until the test moves it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = clock.now()
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def move(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    return MovableClock(monkeypatch)

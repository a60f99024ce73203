"""Fixtures of the bookings tests: a studio in Europe/Berlin (so the tests cross a DST change), and a clock the
test moves."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.settings import Settings
from tests.bookings.world import START
from tests.helpers import Person, Studio, make_person


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(studio_timezone="Europe/Berlin", cancel_cutoff_hours=24, reminder_hours=24,
                                   slot_step_minutes=30, rate_limit_per_minute=0)


@pytest.fixture
def client_a3(client: TestClient, studio: Studio) -> Person:
    """A third client of trainer A (the cast's third client, with B1 of trainer B). Ask for it before `now`: its
    token is issued by the real clock."""
    return make_person(client, "client", trainer=studio.trainer_a, full_name="Client A3")


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    """Set the service's clock (elior.clock.now, and so today): `now(dt.datetime(2026, 3, 23, 8, tzinfo=UTC))`.
    Tokens are checked against the real clock, so people made before a move keep working."""
    def move(to: dt.datetime) -> None:
        monkeypatch.setattr(clock, "now", lambda: to.replace(microsecond=0))

    move(START)
    return move

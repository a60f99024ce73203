"""Fixtures of the programs tests: a clock the test moves."""
from __future__ import annotations

import datetime as dt
from typing import Callable

import pytest

from elior import clock
from tests.programs.world import MONDAY


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.date], None]:
    """Set the service's today (elior.clock.today): `today(dt.date(2026, 3, 9))`. Times (tokens, created_at) keep
    the real clock."""
    def move(day: dt.date) -> None:
        monkeypatch.setattr(clock, "today", lambda: day)

    move(MONDAY)
    return move

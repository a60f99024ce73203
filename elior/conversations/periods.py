"""Calendar arithmetic of check-ins and habits: a schedule's periods, ISO weeks, completion and streaks.

Pure functions of dates (no database, no clock), so the rules are tested on their own. Weeks start on Monday.
A check-in schedule is weekly on a weekday (0 = Monday), its first period on the first such day on or after its
start date, or every N days from its start date; a period runs until the next one begins.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable

OVERDUE_AFTER = dt.timedelta(days=2)  # a check-in not answered two days after its period began is overdue


@dataclass(frozen=True)
class Cadence:
    kind: str  # "weekly" or "every_n_days"
    start: dt.date
    weekday: int | None = None
    every_days: int | None = None

    @property
    def length(self) -> dt.timedelta:
        return dt.timedelta(days=7 if self.kind == "weekly" else int(self.every_days or 1))

    @property
    def first(self) -> dt.date:
        """The first period's start: the start date itself, or the first chosen weekday on or after it."""
        if self.kind == "weekly":
            return self.start + dt.timedelta(days=(int(self.weekday or 0) - self.start.weekday()) % 7)
        return self.start

    def current(self, day: dt.date) -> dt.date | None:
        """The start of the period `day` falls in; None before the first period."""
        first = self.first
        if day < first:
            return None
        periods = (day - first).days // self.length.days
        return first + periods * self.length

    def next_due(self, day: dt.date) -> dt.date:
        """The first period start not yet announced, for a schedule made or changed on `day`: the period under way
        (it is due now), or the first one."""
        return self.current(day) or self.first


def overdue(period_start: dt.date | None, answered: bool, today: dt.date) -> bool:
    return period_start is not None and not answered and today >= period_start + OVERDUE_AFTER


# --- habits ---

def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_goal(times_per_week: int, start: dt.date, monday: dt.date, end: dt.date | None = None) -> int:
    """Ticks a week asks for: the habit's weekly number, fewer in a week it began (or ended) part-way through."""
    first, last = max(monday, start), monday + dt.timedelta(days=6)
    if end is not None:
        last = min(last, end)
    active = (last - first).days + 1
    return max(0, min(times_per_week, active))


@dataclass(frozen=True)
class Week:
    start: dt.date
    done: int
    goal: int

    @property
    def percent(self) -> int:
        return 100 if self.goal == 0 else round(100 * min(self.done, self.goal) / self.goal)

    def as_dict(self) -> dict[str, object]:
        return {"week_start": self.start.isoformat(), "done": self.done, "goal": self.goal, "percent": self.percent}


def weeks(done_days: Iterable[dt.date], times_per_week: int, start: dt.date, today: dt.date,
          count: int) -> list[Week]:
    """The last `count` weeks up to today's, newest first, each with its done days and goal (none before the habit
    began)."""
    per_week: dict[dt.date, int] = {}
    for day in done_days:
        per_week[week_start(day)] = per_week.get(week_start(day), 0) + 1
    result = []
    monday = week_start(today)
    for _ in range(count):
        if monday + dt.timedelta(days=6) < start:
            break
        result.append(Week(monday, per_week.get(monday, 0), week_goal(times_per_week, start, monday)))
        monday -= dt.timedelta(days=7)
    return result


def streak(done_days: set[dt.date], cadence: str, times_per_week: int, start: dt.date, today: dt.date) -> int:
    """Days (daily habits) or weeks (weekly ones) in a row that met the habit, up to now. Today, or this week, not
    yet done does not break a streak: it only does not count yet."""
    if cadence == "daily":
        day = today if today in done_days else today - dt.timedelta(days=1)
        run = 0
        while day in done_days:
            run, day = run + 1, day - dt.timedelta(days=1)
        return run
    per_week: dict[dt.date, int] = {}
    for day in done_days:
        per_week[week_start(day)] = per_week.get(week_start(day), 0) + 1
    monday = week_start(today)

    def met(week: dt.date) -> bool:
        goal = week_goal(times_per_week, start, week)
        return goal > 0 and per_week.get(week, 0) >= goal

    if not met(monday):
        monday -= dt.timedelta(days=7)
    run = 0
    while met(monday):
        run, monday = run + 1, monday - dt.timedelta(days=7)
    return run

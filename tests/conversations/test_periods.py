"""The calendar rules on their own: schedule periods, overdue, week goals, completion and streaks."""
from __future__ import annotations

import datetime as dt

from elior.conversations.periods import Cadence, overdue, streak, week_goal, weeks

D = dt.date


def test_weekly_period_starts_on_its_weekday_from_the_first_one_on_or_after_the_start() -> None:
    fridays = Cadence("weekly", D(2026, 3, 2), weekday=4)  # a Monday; due on Fridays
    assert fridays.first == D(2026, 3, 6)
    assert fridays.current(D(2026, 3, 5)) is None  # before the first Friday nothing is due
    assert fridays.current(D(2026, 3, 6)) == D(2026, 3, 6)
    assert fridays.current(D(2026, 3, 12)) == D(2026, 3, 6)
    assert fridays.current(D(2026, 3, 13)) == D(2026, 3, 13)
    assert fridays.next_due(D(2026, 3, 1)) == D(2026, 3, 6)


def test_every_n_days_counts_from_the_start() -> None:
    tenth = Cadence("every_n_days", D(2026, 1, 1), every_days=10)
    assert [tenth.current(D(2026, 1, n)) for n in (1, 10, 11, 21)] == [D(2026, 1, 1), D(2026, 1, 1),
                                                                       D(2026, 1, 11), D(2026, 1, 21)]


def test_overdue_two_days_after_the_period_began() -> None:
    start = D(2026, 3, 6)
    assert not overdue(start, False, D(2026, 3, 7))
    assert overdue(start, False, D(2026, 3, 8))
    assert not overdue(start, True, D(2026, 3, 20))
    assert not overdue(None, False, D(2026, 3, 20))


def test_week_goal_is_smaller_in_the_week_a_habit_began() -> None:
    assert week_goal(7, D(2026, 3, 4), D(2026, 3, 2)) == 5  # began on a Wednesday
    assert week_goal(3, D(2026, 3, 4), D(2026, 3, 2)) == 3
    assert week_goal(3, D(2026, 3, 8), D(2026, 3, 2)) == 1  # began on the Sunday


def test_weeks_report_completion_newest_first() -> None:
    done = [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 10)]
    listed = weeks(done, 3, D(2026, 3, 2), D(2026, 3, 11), 4)
    assert [(w.start, w.done, w.goal, w.percent) for w in listed] == [(D(2026, 3, 9), 1, 3, 33),
                                                                      (D(2026, 3, 2), 2, 3, 67)]


def test_daily_streak_survives_a_today_not_yet_ticked() -> None:
    done = {D(2026, 3, n) for n in (3, 4, 5)}
    assert streak(done, "daily", 7, D(2026, 3, 1), D(2026, 3, 5)) == 3
    assert streak(done, "daily", 7, D(2026, 3, 1), D(2026, 3, 6)) == 3  # today still open
    assert streak(done, "daily", 7, D(2026, 3, 1), D(2026, 3, 7)) == 0  # yesterday missed


def test_weekly_streak_counts_weeks_that_met_the_goal() -> None:
    done = {D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 9), D(2026, 3, 11), D(2026, 3, 16)}
    assert streak(done, "weekly", 2, D(2026, 3, 2), D(2026, 3, 17)) == 2  # this week (1 of 2) still open
    assert streak(done, "weekly", 2, D(2026, 3, 2), D(2026, 3, 24)) == 0  # last week fell short

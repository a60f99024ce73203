"""Free slots: a trainer's hours on each local day of the studio, less what is booked, as UTC instants.

Pure functions over plain values (no database), so that the one rule decides both what `GET /api/slots` offers and
whether `POST /api/appointments` may book a time. Weekly hours and exceptions are wall-clock minutes of the studio's
time zone: "Mondays 09:00-12:00" is turned into UTC per day, so it stays 09:00 on the wall across a DST change. A
local time that does not exist (the hour skipped in spring) maps to the instant after the gap, so a window across
the change is an hour shorter; one that exists twice (autumn) is taken at its first occurrence.

A session occupies its trainer from its start to its end plus its buffer. A candidate start `s` of a type lasting
`d` with buffer `b` is free when it lies inside one window (`s + d` within it too) and no session `x` meets it:
`s < x.end + x.buffer and x.start < s + d + b`. The one session it may meet is a group of the same type starting at
`s` with places left: the candidate is a place in it.
"""
from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
DAY_MINUTES = 24 * 60
HHMM = r"([01]\d|2[0-3]):[0-5]\d|24:00"
Minutes = tuple[int, int]  # [start, end) in minutes after local midnight


@functools.lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    """The studio's time zone; a name zoneinfo does not know raises ValueError, naming STUDIO_TIMEZONE."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"STUDIO_TIMEZONE {name!r} is not an IANA time zone (e.g. Europe/Berlin)") from None


def minutes(text: str) -> int:
    """`"09:30"` -> 570; `"24:00"` (the end of a day) -> 1440."""
    if not re.fullmatch(HHMM, text):
        raise ValueError(f"not a time of day as HH:MM: {text!r}")
    hours, mins = text.split(":")
    return int(hours) * 60 + int(mins)


def hhmm(value: int) -> str:
    return f"{value // 60:02d}:{value % 60:02d}"


def at(day: dt.date, minute: int, tz: dt.tzinfo) -> dt.datetime:
    """The UTC instant of the local wall-clock time `minute` after midnight on `day` (1440: the next midnight)."""
    if minute >= DAY_MINUTES:
        day, minute = day + dt.timedelta(days=1), minute - DAY_MINUTES
    local = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz)
    # A time in the spring gap: fold=0 reads it with the offset from before the change, which lands after the gap.
    return local.astimezone(UTC)


def local_day(instant: dt.datetime, tz: dt.tzinfo) -> dt.date:
    return instant.astimezone(tz).date()


def merge(intervals: Iterable[Minutes]) -> list[Minutes]:
    result: list[Minutes] = []
    for start, end in sorted(intervals):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(result[-1][1], end))
        else:
            result.append((start, end))
    return result


def subtract(intervals: list[Minutes], holes: Iterable[Minutes]) -> list[Minutes]:
    for hole_start, hole_end in holes:
        kept: list[Minutes] = []
        for start, end in intervals:
            if hole_end <= start or end <= hole_start:
                kept.append((start, end))
                continue
            if start < hole_start:
                kept.append((start, hole_start))
            if hole_end < end:
                kept.append((hole_end, end))
        intervals = kept
    return intervals


@dataclass(frozen=True)
class DayException:
    """One day's exception: `off` (minutes None: the whole day) or `extra` hours."""

    kind: str
    start: int | None = None
    end: int | None = None


def day_hours(weekly: Sequence[Minutes], exceptions: Sequence[DayException]) -> list[Minutes]:
    """One local day's hours: the week's, less the day's time off, plus its extra hours (an explicit extra wins)."""
    hours = merge(weekly)
    for exception in exceptions:
        if exception.kind == "off":
            hours = [] if exception.start is None else subtract(hours, [(exception.start, exception.end or 0)])
    extra = [(e.start, e.end) for e in exceptions if e.kind == "extra" and e.start is not None and e.end is not None]
    return merge([*hours, *extra])


def windows(first: dt.date, last: dt.date, weekly: dict[int, list[Minutes]],
            exceptions: dict[dt.date, list[DayException]], tz: dt.tzinfo) -> list[tuple[dt.datetime, dt.datetime]]:
    """The trainer's hours on the local days `first` to `last`, as UTC [start, end) pairs in time order."""
    result: list[tuple[dt.datetime, dt.datetime]] = []
    day = first
    while day <= last:
        for start, end in day_hours(weekly.get(day.weekday(), []), exceptions.get(day, [])):
            begins, ends = at(day, start, tz), at(day, end, tz)
            if begins < ends:  # a window wholly inside the spring gap is no window
                result.append((begins, ends))
        day += dt.timedelta(days=1)
    return result


@dataclass(frozen=True)
class Kind:
    """The session type asked for."""

    id: int
    duration: dt.timedelta
    capacity: int
    buffer: dt.timedelta


@dataclass(frozen=True)
class Session:
    """A booked session of the trainer: one row of sql/bookings/appointments/busy.sql."""

    start: dt.datetime
    end: dt.datetime
    type_id: int
    buffer: dt.timedelta
    booked: int

    @property
    def free_from(self) -> dt.datetime:
        return self.end + self.buffer


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int

    @property
    def available(self) -> int:
        return self.capacity - self.booked


def _candidates(spans: Sequence[tuple[dt.datetime, dt.datetime]], kind: Kind, step: dt.timedelta,
                groups: Sequence[dt.datetime]) -> Iterator[dt.datetime]:
    """Every start on each window's grid of `step`, and the starts of the type's groups inside a window (a group
    booked off the grid can still be joined), in time order."""
    for begins, ends in spans:
        latest = ends - kind.duration
        grid: set[dt.datetime] = set()
        moment = begins
        while moment <= latest:
            grid.add(moment)
            moment += step
        first = bisect.bisect_left(groups, begins)
        grid.update(g for g in groups[first:bisect.bisect_right(groups, latest)])
        yield from sorted(grid)


def free_slots(spans: Sequence[tuple[dt.datetime, dt.datetime]], sessions: Sequence[Session], kind: Kind,
               step: dt.timedelta, after: dt.datetime) -> list[Slot]:
    """The free starts of `kind` inside `spans` (time-ordered windows) later than `after`. One pass over the
    candidates and the time-ordered sessions: a session joins the active list when it can first meet a candidate
    and leaves it once the candidates have passed its end and buffer."""
    ordered = sorted(sessions, key=lambda s: s.start)
    free_from = [s.free_from for s in ordered]  # read once: the loop below compares each many times
    groups = sorted({s.start for s in ordered if s.type_id == kind.id})
    slots: list[Slot] = []
    active: list[int] = []  # indexes into `ordered` of the sessions that may still meet a candidate
    upcoming = 0
    reach = kind.duration + kind.buffer
    last: dt.datetime | None = None
    for start in _candidates(spans, kind, step, groups):
        if start <= after or start == last:
            continue
        last = start
        horizon = start + reach
        while upcoming < len(ordered) and ordered[upcoming].start < horizon:
            active.append(upcoming)
            upcoming += 1
        if active:
            active = [i for i in active if free_from[i] > start]
        slot = _place(start, [ordered[i] for i in active if ordered[i].start < horizon], kind)
        if slot is not None:
            slots.append(slot)
    return slots


def _place(start: dt.datetime, met: list[Session], kind: Kind) -> Slot | None:
    if not met:
        return Slot(start, start + kind.duration, kind.capacity, 0)
    if len(met) == 1 and met[0].start == start and met[0].type_id == kind.id and met[0].booked < kind.capacity:
        return Slot(start, met[0].end, kind.capacity, met[0].booked)
    return None


def slot_at(start: dt.datetime, spans: Sequence[tuple[dt.datetime, dt.datetime]], sessions: Sequence[Session],
            kind: Kind) -> Slot | None:
    """The place `start` offers (inside a window, meeting no other session), or None: the booking's check."""
    if not any(begins <= start and start + kind.duration <= ends for begins, ends in spans):
        return None
    reach = kind.duration + kind.buffer
    met = [s for s in sessions if s.start < start + reach and s.free_from > start]
    return _place(start, met, kind)

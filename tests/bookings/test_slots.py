"""The slot rule (elior.bookings.slots): weekly hours, exceptions, buffers, groups, and the DST changes of
Europe/Berlin (clocks forward on 2026-03-29, back on 2026-10-25); then the same rule through GET /api/slots."""
from __future__ import annotations

import datetime as dt
import random
from typing import Callable

from starlette.testclient import TestClient

from elior.bookings import slots
from elior.bookings.slots import DayException, Kind, Session
from tests.bookings.world import UTC, book, give_credits, make_type, ok, set_week
from tests.bookings.world import slots as offered
from tests.helpers import Studio

BERLIN = slots.zone("Europe/Berlin")
HOUR = dt.timedelta(hours=1)
PT = Kind(1, HOUR, 1, dt.timedelta(0))


def utc(day: int, hour: int, minute: int = 0, month: int = 3) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def starts(found: list[slots.Slot]) -> list[str]:
    return [f"{s.start:%d %H:%M}" for s in found]


def week(start: str = "09:00", end: str = "12:00") -> dict[int, list[slots.Minutes]]:
    return {day: [(slots.minutes(start), slots.minutes(end))] for day in range(7)}


def test_weekly_hours_stay_on_the_wall_clock_across_the_spring_change() -> None:
    spans = slots.windows(dt.date(2026, 3, 27), dt.date(2026, 3, 30), week("09:00", "10:00"), {}, BERLIN)
    # Friday and Saturday in CET (UTC+1), Sunday and Monday in CEST (UTC+2): 09:00 local each day.
    assert [begins for begins, _ in spans] == [utc(27, 8), utc(28, 8), utc(29, 7), utc(30, 7)]


def test_a_window_across_the_spring_gap_is_an_hour_shorter() -> None:
    sunday = {6: [(slots.minutes("01:00"), slots.minutes("04:00"))]}
    spans = slots.windows(dt.date(2026, 3, 29), dt.date(2026, 3, 29), sunday, {}, BERLIN)
    assert spans == [(utc(29, 0), utc(29, 2))]  # 01:00 CET to 04:00 CEST: two real hours
    found = slots.free_slots(spans, [], PT, dt.timedelta(minutes=30), after=utc(1, 0))
    assert starts(found) == ["29 00:00", "29 00:30", "29 01:00"]  # 01:00, 01:30 CET, then 03:00 CEST
    gap_only = {6: [(slots.minutes("02:00"), slots.minutes("03:00"))]}  # an hour that does not exist
    assert slots.windows(dt.date(2026, 3, 29), dt.date(2026, 3, 29), gap_only, {}, BERLIN) == []


def test_a_window_across_the_autumn_change_is_an_hour_longer() -> None:
    sunday = {6: [(slots.minutes("01:00"), slots.minutes("04:00"))]}
    spans = slots.windows(dt.date(2026, 10, 25), dt.date(2026, 10, 25), sunday, {}, BERLIN)
    assert spans == [(utc(24, 23, month=10), utc(25, 3, month=10))]  # 01:00 CEST to 04:00 CET: four hours


def test_the_buffer_keeps_time_free_after_each_session() -> None:
    kind = Kind(1, HOUR, 1, dt.timedelta(minutes=15))
    spans = [(utc(24, 8), utc(24, 14))]
    booked = [Session(utc(24, 10), utc(24, 11), 1, dt.timedelta(minutes=15), 1)]
    found = slots.free_slots(spans, booked, kind, dt.timedelta(minutes=15), after=utc(1, 0))
    # 08:45 ends at 09:45 and its buffer at 10:00, just as the session begins; 09:00 would run into it. The
    # session's own buffer keeps 11:00 to 11:15 free: 11:15 is the first start after it.
    assert "24 08:45" in starts(found) and "24 09:00" not in starts(found)
    assert [s for s in starts(found) if "10:00" <= s[3:] < "11:15"] == []
    assert "24 11:15" in starts(found)
    assert slots.slot_at(utc(24, 11, 10), spans, booked, kind) is None
    assert slots.slot_at(utc(24, 11, 20), spans, booked, kind) is not None  # off the grid, still free


def test_a_longer_buffer_of_the_booked_session_wins() -> None:
    spans = [(utc(24, 8), utc(24, 14))]
    booked = [Session(utc(24, 10), utc(24, 11), 2, dt.timedelta(minutes=30), 1)]
    found = slots.free_slots(spans, booked, PT, dt.timedelta(minutes=15), after=utc(1, 0))
    assert "24 11:15" not in starts(found) and "24 11:30" in starts(found)


def test_exceptions_take_hours_off_and_add_hours() -> None:
    weekly = [(slots.minutes("09:00"), slots.minutes("17:00"))]
    assert slots.day_hours(weekly, [DayException("off")]) == []
    lunch = slots.day_hours(weekly, [DayException("off", slots.minutes("12:00"), slots.minutes("13:00"))])
    assert lunch == [(540, 720), (780, 1020)]
    evening = slots.day_hours(weekly, [DayException("extra", slots.minutes("16:00"), slots.minutes("20:00"))])
    assert evening == [(540, 1200)]
    assert slots.day_hours([], [DayException("off"), DayException("extra", 600, 660)]) == [(600, 660)]


def test_a_group_offers_its_places_left_and_nothing_that_overlaps_it() -> None:
    group = Kind(7, HOUR, 3, dt.timedelta(0))
    spans = [(utc(24, 8), utc(24, 12))]
    booked = [Session(utc(24, 9, 10), utc(24, 10, 10), 7, dt.timedelta(0), 2)]  # booked off the grid by staff
    found = {f"{s.start:%H:%M}": s for s in slots.free_slots(spans, booked, group, dt.timedelta(minutes=30),
                                                             after=utc(1, 0))}
    assert found["09:10"].available == 1 and found["09:10"].end == utc(24, 10, 10)
    assert set(found) == {"08:00", "09:10", "10:30", "11:00"}
    full = [Session(utc(24, 9, 10), utc(24, 10, 10), 7, dt.timedelta(0), 3)]
    assert "09:10" not in {f"{s.start:%H:%M}" for s in slots.free_slots(spans, full, group,
                                                                       dt.timedelta(minutes=30), after=utc(1, 0))}
    other_type = Kind(8, HOUR, 3, dt.timedelta(0))
    assert slots.slot_at(utc(24, 9, 10), spans, booked, other_type) is None


def test_nothing_already_begun_is_offered() -> None:
    spans = [(utc(24, 8), utc(24, 12))]
    found = slots.free_slots(spans, [], PT, dt.timedelta(minutes=60), after=utc(24, 9))
    assert starts(found) == ["24 10:00", "24 11:00"]


def test_the_offer_and_the_booking_check_agree() -> None:
    """Whatever the sessions, a start on the grid is offered exactly when the booking check accepts it."""
    rng = random.Random(19)
    for _ in range(300):
        kinds = [Kind(k, dt.timedelta(minutes=rng.choice((30, 45, 60, 90))), rng.choice((1, 1, 3)),
                      dt.timedelta(minutes=rng.choice((0, 10, 15)))) for k in (1, 2)]
        spans = [(utc(24, 8), utc(24, 12)), (utc(24, 13), utc(24, 18))]
        booked = []
        for _ in range(rng.randrange(6)):
            kind = rng.choice(kinds)
            start = utc(24, 8) + dt.timedelta(minutes=15 * rng.randrange(40))
            booked.append(Session(start, start + kind.duration, kind.id, kind.buffer, rng.randrange(1, 4)))
        kind, step = rng.choice(kinds), dt.timedelta(minutes=15)
        offer = {s.start: s for s in slots.free_slots(spans, booked, kind, step, after=utc(1, 0))}
        grid = [utc(24, 7) + step * i for i in range(50)]
        for start in grid + [s.start for s in booked]:
            checked = slots.slot_at(start, spans, booked, kind)
            assert (checked is not None) == (start in offer), (start, kind, booked)
            if checked is not None:
                assert checked == offer[start]


def test_the_api_offers_and_books_on_the_berlin_clock_across_the_change(client: TestClient, studio: Studio,
                                                                        now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a, [{"weekday": d, "start": "09:00", "end": "11:00"} for d in range(7)])
    friday = offered(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 27))
    monday = offered(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 30))
    assert [s["starts_at"] for s in friday] == ["2026-03-27T08:00:00Z", "2026-03-27T08:30:00Z",
                                               "2026-03-27T09:00:00Z"]
    assert [s["starts_at"] for s in monday] == ["2026-03-30T07:00:00Z", "2026-03-30T07:30:00Z",
                                               "2026-03-30T08:00:00Z"]
    give_credits(client, studio.trainer_a, studio.client_a1, kind)
    assert book(client, studio.client_a1, kind, utc(30, 8, 30)).status_code == 409  # 10:30 CEST: past 11:00 end
    ok(book(client, studio.client_a1, kind, utc(30, 7)), 201)  # 09:00 CEST
    availability = ok(client.get(f"/api/trainers/{studio.trainer_a.id}/availability",
                                 headers=studio.client_a1.headers))
    assert availability["timezone"] == "Europe/Berlin" and availability["weekly"][0] == {
        "weekday": 0, "start": "09:00", "end": "11:00"}


def test_the_api_applies_exceptions(client: TestClient, studio: Studio, now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a, [{"weekday": 1, "start": "09:00", "end": "12:00"}])  # Tuesdays only
    path = f"/api/trainers/{studio.trainer_a.id}/availability/exceptions"
    ok(client.post(path, json={"date": "2026-03-24", "kind": "off", "start": "10:00", "end": "11:00"},
                   headers=studio.trainer_a.headers), 201)
    ok(client.post(path, json={"date": "2026-03-31", "kind": "off", "note": "holiday"},
                   headers=studio.trainer_a.headers), 201)
    extra = ok(client.post(path, json={"date": "2026-03-28", "kind": "extra", "start": "10:00", "end": "11:00"},
                           headers=studio.admin.headers), 201)
    found = offered(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 23), dt.date(2026, 3, 31))
    assert [s["starts_at"] for s in found] == ["2026-03-24T08:00:00Z", "2026-03-24T10:00:00Z",
                                              "2026-03-28T09:00:00Z"]
    ok(client.delete(f"{path}/{extra['id']}", headers=studio.trainer_a.headers), 204)
    assert len(offered(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 28))) == 0

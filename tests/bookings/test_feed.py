"""Appointments in the iCal feed (elior.bookings.feed, which elior.programs.ical adds to the calendar file): what the
feed's owner may see, with a UID that stays, a SEQUENCE that counts moves and cancels, and cancelled places kept as
STATUS:CANCELLED so a subscribed phone removes them."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import icalendar
from starlette.testclient import TestClient

from elior.bookings.feed import appointment_events
from tests.bookings.world import UTC, book, give_credits, iso, make_type, ok, set_week
from tests.helpers import Person, Studio, run

TUESDAY_10 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=UTC)


def feed(client: TestClient, person: Person) -> dict[str, icalendar.Event]:
    """The events of `person`'s feed, through a whole iCalendar file and back, by UID."""
    db = client.app.state.db  # type: ignore[attr-defined]
    events = run(client, appointment_events, db, {"id": person.id, "role": person.role}, domain="studio.test",
                 today=dt.date(2026, 3, 23))
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//test//EN")
    calendar.add("version", "2.0")
    for event in events:
        calendar.add_component(event)
    parsed = icalendar.Calendar.from_ical(calendar.to_ical())
    return {str(event["uid"]): event for event in parsed.walk("VEVENT")}


def test_the_feed_shows_appointments_their_moves_and_cancels(client: TestClient, studio: Studio,
                                                             now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind)
    kept: dict[str, Any] = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    dropped = ok(book(client, studio.client_a1, kind, TUESDAY_10 + dt.timedelta(days=1)), 201)
    uid = f"appointment-{kept['id']}@studio.test"
    first = feed(client, studio.client_a1)[uid]
    assert first["dtstart"].dt == TUESDAY_10 and first["dtend"].dt == TUESDAY_10 + dt.timedelta(hours=1)
    assert str(first["summary"]) == "Personal training with Trainer A" and first["sequence"] == 0
    ok(client.post(f"/api/appointments/{kept['id']}/reschedule",
                   json={"starts_at": iso(TUESDAY_10 + dt.timedelta(hours=2))}, headers=studio.client_a1.headers))
    ok(client.post(f"/api/appointments/{dropped['id']}/cancel", headers=studio.client_a1.headers))
    events = feed(client, studio.client_a1)
    moved, cancelled = events[uid], events[f"appointment-{dropped['id']}@studio.test"]
    assert moved["dtstart"].dt == TUESDAY_10 + dt.timedelta(hours=2) and moved["sequence"] == 1
    assert str(cancelled["status"]) == "CANCELLED" and cancelled["sequence"] == 1
    assert str(feed(client, studio.trainer_a)[uid]["summary"]).startswith("Client A1: ")
    assert set(feed(client, studio.admin)) == set(events)
    assert feed(client, studio.trainer_b) == {} and feed(client, studio.client_a2) == {}


def test_the_phone_calendar_feed_carries_the_booked_session(client: TestClient, studio: Studio,
                                                            now: Callable[[dt.datetime], None]) -> None:
    """The feed a phone subscribes to (GET /api/calendar.ics) holds the appointment beside the workouts."""
    from tests.programs.test_calendar import events_of, feed_url

    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    for person in (studio.client_a1, studio.trainer_a):
        uids = {str(event["uid"]) for event in events_of(client, feed_url(client, person))}
        assert f"appointment-{booked['id']}@{client.app.state.settings.domain}" in uids  # type: ignore[attr-defined]
    assert not any(str(event["uid"]).startswith("appointment-")
                   for event in events_of(client, feed_url(client, studio.client_a2)))

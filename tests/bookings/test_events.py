"""What a booking change tells whom: the event on the calendar's socket (/ws/workouts) and the notification of the
side that did not act, stored with the change itself (a refused booking tells no one)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from starlette.testclient import TestClient

from tests.bookings.world import UTC, book, give_credits, iso, make_type, ok, set_week
from tests.helpers import Person, Studio, assert_error

TUESDAY_10 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=UTC)


def notes(client: TestClient, person: Person) -> list[tuple[str, str]]:
    items = ok(client.get("/api/notifications", headers=person.headers))["items"]
    return [(n["type"], n["data"]["message"]) for n in reversed(items)]


def test_each_change_notifies_the_other_side(client: TestClient, studio: Studio,
                                             now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    assert_error(book(client, studio.client_a1, kind, TUESDAY_10), 402)  # no credit: nothing to tell
    assert notes(client, studio.trainer_a) == []
    give_credits(client, studio.trainer_a, studio.client_a1, kind)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    assert notes(client, studio.trainer_a) == [
        ("appointment.booked", "Personal training booked for Tue 24 Mar 2026, 10:00 by Client A1")]
    ok(client.post(f"/api/appointments/{booked['id']}/reschedule",
                   json={"starts_at": iso(TUESDAY_10 + dt.timedelta(hours=1))}, headers=studio.trainer_a.headers))
    now(TUESDAY_10 + dt.timedelta(hours=2))
    ok(client.post(f"/api/appointments/{booked['id']}/attendance", json={"status": "no_show"},
                   headers=studio.trainer_a.headers))
    assert notes(client, studio.client_a1) == [
        ("appointment.updated", "Personal training on Tue 24 Mar 2026, 11:00: moved"),
        ("appointment.updated", "Personal training on Tue 24 Mar 2026, 11:00: marked a no-show")]
    assert notes(client, studio.trainer_b) == [] and notes(client, studio.client_a2) == []


def test_the_calendar_socket_hears_bookings_of_its_clients_only(client: TestClient, studio: Studio,
                                                                now: Callable[[dt.datetime], None]) -> None:
    kind = make_type(client, studio.admin, uses_credit=False)
    set_week(client, studio.trainer_a)
    set_week(client, studio.trainer_b)
    heard: dict[str, list[dict[str, Any]]] = {}
    with client.websocket_connect(f"/ws/workouts?token={studio.trainer_a.token}") as mine, \
            client.websocket_connect(f"/ws/workouts?token={studio.trainer_b.token}") as other:
        for ws in (mine, other):
            ws.send_json({"type": "ping"})
            assert ws.receive_json() == {"type": "pong"}
        booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
        ok(client.post(f"/api/appointments/{booked['id']}/cancel", headers=studio.client_a1.headers))
        for name, ws in (("mine", mine), ("other", other)):
            ws.send_json({"type": "ping"})
            heard[name] = []
            while (message := ws.receive_json()) != {"type": "pong"}:
                heard[name].append(message)
    assert [(m["type"], m["data"]["id"], m["data"]["status"]) for m in heard["mine"]] == [
        ("appointment.booked", booked["id"], "booked"), ("appointment.cancelled", booked["id"], "cancelled")]
    assert heard["other"] == []

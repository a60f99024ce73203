"""Who may do what with bookings: every route tried by the whole cast (an admin, two trainers, three clients and
nobody), with appointments, packages and hours on both sides of the trainers' boundary."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from tests.bookings.world import UTC, book, give_credits, iso, make_type, ok, set_week
from tests.helpers import Person, Studio, assert_error

TUESDAY_10 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=UTC)
CAST = ("admin", "trainer_a", "trainer_b", "client_a1", "client_a2", "client_b1", "anonymous")


@pytest.fixture
def world(client: TestClient, studio: Studio, client_a3: Person, now: Callable[[dt.datetime], None]) -> dict[str, Any]:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    set_week(client, studio.trainer_b)
    for person in (studio.client_a1, client_a3):
        give_credits(client, studio.trainer_a, person, kind)
    give_credits(client, studio.trainer_b, studio.client_b1, kind)
    a1 = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    b1 = ok(book(client, studio.client_b1, kind, TUESDAY_10), 201)
    exception = ok(client.post(f"/api/trainers/{studio.trainer_a.id}/availability/exceptions",
                               json={"date": "2026-04-01", "kind": "off"}, headers=studio.trainer_a.headers), 201)
    return {"kind": kind, "a1": a1, "b1": b1, "exception": exception, "a3": client_a3}


def statuses(client: TestClient, studio: Studio, method: str, path: str, body: Any = None) -> dict[str, int]:
    answers = {}
    for name in CAST:
        headers = {} if name == "anonymous" else getattr(studio, name).headers
        response = client.request(method, path, json=body, headers=headers)
        if response.status_code >= 400:
            assert_error(response, response.status_code)
        answers[name] = response.status_code
    return answers


def expect(admin: int, trainer_a: int, trainer_b: int, client_a1: int, client_a2: int, client_b1: int,
           anonymous: int = 401) -> dict[str, int]:
    return dict(zip(CAST, (admin, trainer_a, trainer_b, client_a1, client_a2, client_b1, anonymous)))


def test_session_types_are_read_by_everyone_and_set_by_admins(client: TestClient, studio: Studio,
                                                             world: dict[str, Any]) -> None:
    kind = world["kind"]
    assert statuses(client, studio, "GET", "/api/session-types") == expect(200, 200, 200, 200, 200, 200)
    assert statuses(client, studio, "GET", f"/api/session-types/{kind['id']}") == expect(200, 200, 200, 200, 200,
                                                                                         200)
    assert statuses(client, studio, "POST", "/api/session-types", {"name": "Group", "duration_minutes": 45}) \
        == expect(201, 403, 403, 403, 403, 403)
    assert statuses(client, studio, "PUT", f"/api/session-types/{kind['id']}", {"buffer_minutes": 10}) \
        == expect(200, 403, 403, 403, 403, 403)
    assert statuses(client, studio, "DELETE", f"/api/session-types/{kind['id']}") \
        == expect(409, 403, 403, 403, 403, 403)  # booked: retire it instead


def test_a_trainers_hours_are_theirs_and_their_clients_to_read(client: TestClient, studio: Studio,
                                                              world: dict[str, Any]) -> None:
    trainer = studio.trainer_a.id
    assert statuses(client, studio, "GET", f"/api/trainers/{trainer}/availability") \
        == expect(200, 200, 404, 200, 200, 404)
    assert statuses(client, studio, "GET", f"/api/slots?trainer_id={trainer}&type={world['kind']['id']}"
                    "&from=2026-03-24") == expect(200, 200, 404, 200, 200, 404)
    week = {"weekly": [{"weekday": 1, "start": "08:00", "end": "18:00"}]}
    assert statuses(client, studio, "PUT", f"/api/trainers/{trainer}/availability", week) \
        == expect(200, 200, 404, 403, 403, 403)
    assert statuses(client, studio, "POST", f"/api/trainers/{trainer}/availability/exceptions",
                    {"date": "2026-04-02", "kind": "off"}) == expect(201, 201, 404, 403, 403, 403)
    exception = world["exception"]["id"]
    other = f"/api/trainers/{studio.trainer_b.id}/availability/exceptions/{exception}"  # the id, under B
    assert client.delete(other, headers=studio.trainer_b.headers).status_code == 404
    assert statuses(client, studio, "DELETE", f"/api/trainers/{trainer}/availability/exceptions/{exception}") \
        == expect(204, 404, 404, 403, 403, 403)  # the admin deleted it first; then there is none


def test_an_appointment_is_seen_and_changed_by_its_client_their_trainer_and_admins(
        client: TestClient, studio: Studio, world: dict[str, Any], now: Callable[[dt.datetime], None]) -> None:
    a1 = world["a1"]["id"]
    assert statuses(client, studio, "GET", f"/api/appointments/{a1}") == expect(200, 200, 404, 200, 404, 404)
    later = {"starts_at": iso(TUESDAY_10 + dt.timedelta(hours=2))}
    for outsider in (studio.trainer_b, studio.client_a2, studio.client_b1):
        assert_error(client.post(f"/api/appointments/{a1}/reschedule", json=later, headers=outsider.headers), 404)
        assert_error(client.post(f"/api/appointments/{a1}/cancel", headers=outsider.headers), 404)
    for outsider, status in ((studio.trainer_b, 404), (studio.client_a1, 403), (studio.client_b1, 403)):
        assert_error(client.post(f"/api/appointments/{a1}/attendance", json={"status": "attended"},
                                 headers=outsider.headers), status)
    assert ok(client.get(f"/api/appointments/{a1}", headers=studio.admin.headers))["status"] == "booked"
    assert ok(client.post(f"/api/appointments/{a1}/reschedule", json=later,
                          headers=studio.trainer_a.headers))["starts_at"] == later["starts_at"]
    now(TUESDAY_10 + dt.timedelta(hours=3))
    assert ok(client.post(f"/api/appointments/{a1}/attendance", json={"status": "attended"},
                          headers=studio.admin.headers))["credit"] == "spent"


def test_booking_for_someone_else_needs_to_coach_them(client: TestClient, studio: Studio,
                                                     world: dict[str, Any]) -> None:
    kind, a3 = world["kind"], world["a3"]
    at = TUESDAY_10 + dt.timedelta(hours=4)
    assert_error(book(client, studio.trainer_b, kind, at, client_id=a3.id), 404)
    assert_error(book(client, studio.client_b1, kind, at, client_id=a3.id), 403)
    assert_error(book(client, studio.client_a1, kind, at, client_id=a3.id), 403)
    assert_error(book(client, studio.trainer_a, kind, at), 422)  # staff name the client
    not_theirs = {"type_id": kind["id"], "starts_at": iso(at), "trainer_id": studio.trainer_b.id}
    assert_error(client.post("/api/appointments", json=not_theirs, headers=studio.client_a1.headers), 422)
    assert_error(client.post("/api/appointments", json={"type_id": kind["id"], "starts_at": iso(at)}), 401)
    assert ok(book(client, studio.trainer_a, kind, at, client_id=a3.id), 201)["created_by"] == studio.trainer_a.id
    assert ok(book(client, studio.admin, kind, at + dt.timedelta(hours=1), client_id=a3.id), 201)["trainer_id"] \
        == studio.trainer_a.id


def test_packages_and_credits_are_the_clients_and_their_coaches(client: TestClient, studio: Studio,
                                                               world: dict[str, Any]) -> None:
    a1, kind = studio.client_a1.id, world["kind"]
    package = {"client_id": a1, "type_id": kind["id"], "credits": 2}
    assert statuses(client, studio, "POST", "/api/packages", package) == expect(201, 201, 404, 403, 403, 403)
    for path in (f"/api/packages?client_id={a1}", f"/api/credits?client_id={a1}",
                 f"/api/credits/ledger?client_id={a1}", f"/api/appointments?client_id={a1}"):
        assert statuses(client, studio, "GET", path) == expect(200, 200, 404, 200, 404, 404), path
    assert ok(client.get("/api/credits", headers=studio.client_a1.headers))["balances"][0]["balance"] == 8
    assert_error(client.get("/api/credits", headers=studio.trainer_a.headers), 422)  # staff name the client


def test_lists_hold_only_what_the_caller_may_see(client: TestClient, studio: Studio, world: dict[str, Any]) -> None:
    def ids(person: Person, query: str = "") -> set[int]:
        return {a["id"] for a in ok(client.get(f"/api/appointments{query}", headers=person.headers))["items"]}

    a1, b1 = world["a1"]["id"], world["b1"]["id"]
    assert ids(studio.admin) == {a1, b1}
    assert ids(studio.trainer_a) == {a1} and ids(studio.trainer_b) == {b1}
    assert ids(studio.client_a1) == {a1} and ids(studio.client_a2) == set()
    assert ids(studio.client_a2, f"?trainer_id={studio.trainer_a.id}") == set()  # the trainer's, but not theirs
    assert ids(studio.admin, f"?trainer_id={studio.trainer_b.id}") == {b1}
    assert_error(client.get(f"/api/appointments?trainer_id={studio.trainer_a.id}", headers=studio.trainer_b.headers),
                 404)

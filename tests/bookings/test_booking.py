"""Booking, cancelling, rescheduling and attendance through the API, with the credits each moves and a clock the
test moves (the studio is in Europe/Berlin; the cut-off is 24 hours)."""
from __future__ import annotations

import datetime as dt
from typing import Callable

from starlette.testclient import TestClient

from tests.bookings.world import (
    MONDAY,
    START,
    UTC,
    balance,
    book,
    give_credits,
    iso,
    make_type,
    ok,
    set_week,
    slots,
)
from tests.helpers import Person, Studio, assert_error

Clock = Callable[[dt.datetime], None]
TUESDAY_10 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=UTC)  # 10:00 in Berlin


def test_client_books_with_a_credit_and_the_trainer_marks_it_attended(client: TestClient, studio: Studio,
                                                                      now: Clock) -> None:
    """The issue's "done when": book from a free slot, attended, the balance one lower, the place in the list."""
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=3)
    offered = slots(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 24))
    assert offered[0] == {"starts_at": "2026-03-24T08:00:00Z", "ends_at": "2026-03-24T09:00:00Z", "capacity": 1,
                          "booked": 0, "available": 1}
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    assert (booked["status"], booked["credit"], booked["trainer_id"]) == ("booked", "held", studio.trainer_a.id)
    assert balance(client, studio.client_a1, kind) == 2
    assert iso(TUESDAY_10) not in {s["starts_at"] for s in slots(client, studio.client_a1, studio.trainer_a, kind,
                                                                 dt.date(2026, 3, 24))}
    now(TUESDAY_10 + dt.timedelta(minutes=5))
    marked = ok(client.post(f"/api/appointments/{booked['id']}/attendance", json={"status": "attended"},
                            headers=studio.trainer_a.headers))
    assert (marked["status"], marked["credit"]) == ("attended", "spent")
    assert balance(client, studio.client_a1, kind) == 2
    credits = ok(client.get("/api/credits", headers=studio.client_a1.headers))["balances"]
    assert credits == [{"type_id": kind["id"], "type_name": kind["name"], "balance": 2, "held": 0}]
    ledger = ok(client.get("/api/credits/ledger", headers=studio.client_a1.headers))["items"]
    assert [(m["kind"], m["delta"], m["balance_after"]) for m in ledger] == [
        ("spend", 0, 2), ("hold", -1, 2), ("grant", 3, 3)]
    mine = ok(client.get("/api/appointments", headers=studio.client_a1.headers))
    assert [a["id"] for a in mine["items"]] == [booked["id"]] and mine["total"] == 1


def test_booking_without_a_credit_is_refused_and_books_nothing(client: TestClient, studio: Studio,
                                                              now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    assert_error(book(client, studio.client_a1, kind, TUESDAY_10), 402)
    assert ok(client.get("/api/appointments", headers=studio.client_a1.headers))["total"] == 0
    assert len(slots(client, studio.client_a1, studio.trainer_a, kind, dt.date(2026, 3, 24))) == 15  # 09:00 to 16:00


def test_a_type_without_credits_books_without_a_package(client: TestClient, studio: Studio, now: Clock) -> None:
    kind = make_type(client, studio.admin, name="Free intro", uses_credit=False)
    set_week(client, studio.trainer_a)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    assert booked["credit"] is None


def test_an_expired_package_does_not_cover_a_later_session(client: TestClient, studio: Studio, now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, expires_on="2026-03-24")
    assert_error(book(client, studio.client_a1, kind, TUESDAY_10 + dt.timedelta(days=1)), 402)
    ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)


def test_a_taken_time_outside_hours_and_the_past_are_refused(client: TestClient, studio: Studio,
                                                            now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    for person in (studio.client_a1, studio.client_a2):
        give_credits(client, studio.trainer_a, person, kind)
    ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    assert_error(book(client, studio.client_a2, kind, TUESDAY_10), 409)
    assert_error(book(client, studio.client_a2, kind, TUESDAY_10 + dt.timedelta(minutes=30)), 409)  # overlaps
    assert_error(book(client, studio.client_a2, kind, dt.datetime(2026, 3, 24, 16, 30, tzinfo=UTC)), 409)  # 17:30
    assert_error(book(client, studio.client_a2, kind, START - dt.timedelta(hours=1)), 422)
    assert_error(book(client, studio.client_a2, kind, TUESDAY_10 + dt.timedelta(seconds=30)), 422)
    ok(book(client, studio.client_a2, kind, TUESDAY_10 + dt.timedelta(hours=1)), 201)


def test_a_group_fills_to_its_capacity(client: TestClient, studio: Studio, client_a3: Person, now: Clock) -> None:
    kind = make_type(client, studio.admin, name="Small group", capacity=2, uses_credit=False)
    set_week(client, studio.trainer_a)
    ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    tuesday = MONDAY + dt.timedelta(days=1)
    offered = {s["starts_at"]: s for s in slots(client, studio.client_a2, studio.trainer_a, kind, tuesday)}
    assert (offered[iso(TUESDAY_10)]["booked"], offered[iso(TUESDAY_10)]["available"]) == (1, 1)
    assert iso(TUESDAY_10 + dt.timedelta(minutes=30)) not in offered  # the group's trainer is busy then
    ok(book(client, studio.client_a2, kind, TUESDAY_10), 201)
    assert_error(book(client, client_a3, kind, TUESDAY_10), 409)
    assert_error(book(client, studio.client_a1, kind, TUESDAY_10), 409)  # the same client twice


def test_early_cancel_returns_the_credit_and_a_late_one_spends_it(client: TestClient, studio: Studio,
                                                                 now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=2)
    early = ok(book(client, studio.client_a1, kind, TUESDAY_10 + dt.timedelta(days=2)), 201)
    late = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    assert balance(client, studio.client_a1, kind) == 0
    now(TUESDAY_10 - dt.timedelta(hours=25))  # outside the cut-off of the first, 25 h before
    cancelled = ok(client.post(f"/api/appointments/{early['id']}/cancel", json={"reason": "travel"},
                               headers=studio.client_a1.headers))
    assert (cancelled["status"], cancelled["late_cancel"], cancelled["credit"]) == ("cancelled", False, "returned")
    assert balance(client, studio.client_a1, kind) == 1
    now(TUESDAY_10 - dt.timedelta(hours=23))  # inside the cut-off of the second
    cancelled = ok(client.post(f"/api/appointments/{late['id']}/cancel", headers=studio.client_a1.headers))
    assert (cancelled["late_cancel"], cancelled["credit"]) == (True, "spent")
    assert balance(client, studio.client_a1, kind) == 1
    assert_error(client.post(f"/api/appointments/{late['id']}/cancel", headers=studio.client_a1.headers), 409)


def test_staff_may_waive_the_late_fee_and_a_client_may_not(client: TestClient, studio: Studio, now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=1)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    now(TUESDAY_10 - dt.timedelta(hours=2))
    path = f"/api/appointments/{booked['id']}/cancel"
    assert_error(client.post(path, json={"waive": True}, headers=studio.trainer_a.headers), 422)  # unknown field
    assert_error(client.post(path, json={"waive_fee": True}, headers=studio.client_a1.headers), 403)
    waived = ok(client.post(path, json={"waive_fee": True, "reason": "ill"}, headers=studio.trainer_a.headers))
    assert (waived["late_cancel"], waived["credit"]) == (True, "returned")
    assert balance(client, studio.client_a1, kind) == 1


def test_a_no_show_spends_the_credit_and_attendance_waits_for_the_start(client: TestClient, studio: Studio,
                                                                       now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=1)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    path = f"/api/appointments/{booked['id']}/attendance"
    assert_error(client.post(path, json={"status": "no_show"}, headers=studio.trainer_a.headers), 409)
    now(TUESDAY_10 + dt.timedelta(hours=2))
    assert_error(client.post(f"/api/appointments/{booked['id']}/cancel", headers=studio.client_a1.headers), 409)
    assert ok(client.post(path, json={"status": "no_show"}, headers=studio.trainer_a.headers))["credit"] == "spent"
    corrected = ok(client.post(path, json={"status": "attended"}, headers=studio.trainer_a.headers))
    assert corrected["status"] == "attended"
    assert balance(client, studio.client_a1, kind) == 0
    kinds = [m["kind"] for m in ok(client.get("/api/credits/ledger", headers=studio.client_a1.headers))["items"]]
    assert kinds == ["spend", "hold", "grant"]  # the correction moved nothing


def test_reschedule_moves_the_place_outside_the_cut_off_only_for_a_client(client: TestClient, studio: Studio,
                                                                         now: Clock) -> None:
    kind = make_type(client, studio.admin)
    set_week(client, studio.trainer_a)
    give_credits(client, studio.trainer_a, studio.client_a1, kind, credits=1)
    booked = ok(book(client, studio.client_a1, kind, TUESDAY_10), 201)
    path = f"/api/appointments/{booked['id']}/reschedule"
    later = TUESDAY_10 + dt.timedelta(hours=3)
    moved = ok(client.post(path, json={"starts_at": iso(later)}, headers=studio.client_a1.headers))
    assert (moved["starts_at"], moved["sequence"], moved["credit"]) == (iso(later), 1, "held")
    assert iso(TUESDAY_10) in {s["starts_at"] for s in slots(client, studio.client_a1, studio.trainer_a, kind,
                                                              dt.date(2026, 3, 24))}
    # the place itself does not block its own move by an hour
    ok(client.post(path, json={"starts_at": iso(later + dt.timedelta(minutes=30))}, headers=studio.client_a1.headers))
    now(later - dt.timedelta(hours=5))
    assert_error(client.post(path, json={"starts_at": iso(TUESDAY_10 + dt.timedelta(days=1))},
                             headers=studio.client_a1.headers), 409)
    staff_moved = ok(client.post(path, json={"starts_at": iso(TUESDAY_10 + dt.timedelta(days=1))},
                                 headers=studio.trainer_a.headers))
    assert staff_moved["sequence"] == 3
    assert balance(client, studio.client_a1, kind) == 0

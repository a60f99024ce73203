"""Bookings in the browser (issue 19): a client books a session from their phone with a credit, the trainer marks it
attended once it has begun, the balance has dropped by one; the owner's studio page shows the week and records a
package.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py: a fresh
database per test; any console error, uncaught exception or CSP violation fails the test). The session type, the
trainer's hours and the client's package are seeded through the API. The API refuses attendance before a session
begins and a booking in the past, so the server runs with one-minute slots (SLOT_STEP_MINUTES=1) and the client
books the first slot at least 20 s away: the test then waits for that start (a wait, not a timed assertion).
Screenshots land in tests/screenshots/bookings-*.png.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any, Iterator

import pytest

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people = spa.browser, spa.spa_database_url, spa.owner, spa.people
MORNINGS = [{"weekday": day, "start": "09:00", "end": "10:00"} for day in range(7)]


@pytest.fixture
def server(spa_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """The shared server fixture, with slots every minute so that a booked session begins within the test."""
    monkeypatch.setenv("SLOT_STEP_MINUTES", "1")
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _next_hour(trainer: Api) -> None:
    """Extra hours today from this minute for an hour (to midnight at the latest, UTC being the studio's zone): with
    one-minute slots a whole week of hours would draw thousands of buttons."""
    now = datetime.now(timezone.utc)
    begins = now.hour * 60 + now.minute
    trainer.call("POST", f"/api/trainers/{trainer.user['id']}/availability/exceptions", 201, json={
        "date": now.date().isoformat(), "kind": "extra", "start": _hhmm(begins),
        "end": _hhmm(min(begins + 60, 24 * 60))})


def _studio(server: Server, owner: Api, weekly: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    kind = owner.call("POST", "/api/session-types", 201, json={
        "name": "Personal training", "duration_minutes": 15, "capacity": 1, "buffer_minutes": 0, "uses_credit": True})
    trainer.call("PUT", f"/api/trainers/{trainer.user['id']}/availability", json={"weekly": weekly or []})
    trainer.call("POST", "/api/packages", 201, json={"client_id": client.user["id"], "type_id": kind["id"],
                                                     "credits": 5, "note": "paid cash, receipt 1042"})
    return {"trainer_email": trainer_email, "trainer": trainer, "client_email": client_email, "client": client,
            "type": kind}


def _balance(api: Api, client_id: int, type_id: int) -> dict[str, Any]:
    balances = api.call("GET", "/api/credits", params={"client_id": client_id})["balances"]
    return next(b for b in balances if b["type_id"] == type_id)


@browser_only
def test_spa_client_books_on_a_phone_trainer_marks_attended_and_a_credit_is_spent(server: Server, owner: Api,
                                                                                  people: Any) -> None:
    studio = _studio(server, owner)
    client, trainer, kind = studio["client"], studio["trainer"], studio["type"]
    _next_hour(trainer)
    client_id = client.user["id"]
    assert _balance(trainer, client_id, kind["id"])["balance"] == 5

    phone = people(PHONE)
    page = phone.sign_in(studio["client_email"])
    page.get_by_role("link", name="Book", exact=True).click()
    page.wait_for_selector("h1:has-text('Book a session')")
    assert page.locator(".credit .credit-count").inner_text() == "5 left"
    page.wait_for_selector("button.slot")
    # The first slot far enough ahead that the booking is not refused as past by the time the click arrives.
    soon = datetime.now(timezone.utc) + timedelta(seconds=20)
    slots = client.call("GET", "/api/slots", params={"type": kind["id"]})["items"]
    slot = next(s for s in slots if _parse(s["starts_at"]) >= soon)
    page.locator(f"button.slot[data-start='{slot['starts_at']}']").click()
    page.wait_for_selector(".book-confirm:has-text('uses one credit')")
    assert page.locator("button.slot[aria-pressed='true']").get_attribute("data-start") == slot["starts_at"]
    phone.shot("bookings-client-phone-choose", full_page=False)  # what the phone shows: the bar above the tabs
    page.get_by_role("button", name="Book it").click()
    page.wait_for_selector(".appointment")
    assert page.locator(".credit .credit-count").inner_text() == "4 left"
    assert "1 held" in page.locator(".credit").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("bookings-client-phone-booked")

    [booked] = client.call("GET", "/api/appointments", params={"status": "booked"})["items"]
    assert (booked["starts_at"], booked["credit"], booked["trainer_name"]) == (slot["starts_at"], "held",
                                                                              "Tess Trainer")
    # The trainer's day before the start: the session is there, with no marks offered yet.
    desk = people(DESK)
    tpage = desk.sign_in(studio["trainer_email"])
    tpage.get_by_role("link", name="Sessions", exact=True).click()
    row = tpage.locator(f".session[data-appointment='{booked['id']}']")
    row.wait_for()
    assert "Cleo Client" in row.inner_text() and row.locator("button").count() == 0

    time.sleep(max(0.0, (_parse(slot["starts_at"]) - datetime.now(timezone.utc)).total_seconds() + 1))
    tpage.get_by_role("button", name="Next day").click()
    tpage.get_by_role("button", name="Previous day").click()
    row.get_by_role("button", name="Attended: Cleo Client", exact=False).click()
    row.locator(".pill.attended").wait_for()
    desk.shot("bookings-trainer-sessions")
    # The calendar: the day's session beside the day's workout, and the link back to the day's marks.
    trainer.call("POST", "/api/workouts", 201, json={"client_id": client_id, "title": "Legs",
                                                     "scheduled_for": _parse(slot["starts_at"]).date().isoformat(),
                                                     "exercises": []})
    tpage.get_by_role("link", name="Calendar", exact=True).click()
    chip = tpage.locator(f".cal-session[data-appointment='{booked['id']}']")
    chip.wait_for()
    assert "Cleo Client, Personal training" in chip.inner_text() and "Attended" in chip.inner_text()
    assert chip.locator("xpath=ancestor::li[contains(@class, 'cal-day')]").locator(".cal-item", has_text="Legs") \
        .count() == 1
    desk.shot("bookings-trainer-calendar")

    after = _balance(trainer, client_id, kind["id"])
    assert (after["balance"], after["held"]) == (4, 0)
    ledger = trainer.call("GET", "/api/credits/ledger", params={"client_id": client_id})["items"]
    assert sum(move["delta"] for move in ledger) == 4
    assert client.call("GET", f"/api/appointments/{booked['id']}")["status"] == "attended"
    page.reload()
    page.wait_for_selector(".credit")
    assert page.locator(".credit .credit-count").inner_text() == "4 left"
    assert "held" not in page.locator(".credit").inner_text()
    page.get_by_role("link", name="Calendar", exact=True).click()  # the client's own calendar shows it too
    assert "Personal training" in page.locator(f".cal-session[data-appointment='{booked['id']}']").inner_text()


@browser_only
def test_spa_owner_sets_session_types_sees_the_week_and_records_a_package(server: Server, owner: Api,
                                                                          people: Any) -> None:
    studio = _studio(server, owner, MORNINGS)
    client, kind = studio["client"], studio["type"]
    tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).date().isoformat()
    start = client.call("GET", "/api/slots", params={"type": kind["id"], "from": tomorrow})["items"][0]["starts_at"]
    client.call("POST", "/api/appointments", 201, json={"type_id": kind["id"], "starts_at": start})

    me = people(DESK)
    page = me.sign_in(spa.ADMIN_EMAIL, spa.ADMIN_PASSWORD)
    page.get_by_role("link", name="Studio", exact=True).click()
    page.wait_for_selector("h1:has-text('Studio')")
    if page.locator(".week-table").count() == 0:  # tomorrow is in next week (today is Sunday)
        page.get_by_role("button", name="Next week").click()
    page.locator(".week-table tr[data-trainer='Tess Trainer']").wait_for()
    assert "Cleo Client" in page.locator(".week-table tr[data-trainer='Tess Trainer']").inner_text()

    form = page.locator("form.type-form")
    form.get_by_label("Name").fill("Small group")
    form.get_by_label("Places").fill("4")
    form.get_by_label("Minutes").fill("45")
    form.get_by_role("button", name="Add session type").click()
    page.locator(".types-table th", has_text="Small group").wait_for()
    assert form.get_by_label("Uses a credit").is_checked()  # back to its default after the reset
    types = {t["name"]: t for t in owner.call("GET", "/api/session-types")["items"]}
    assert (types["Small group"]["capacity"], types["Small group"]["duration_minutes"]) == (4, 45)

    package = page.locator("form.package-form")
    package.get_by_label("Client").select_option(label="Cleo Client")
    package.get_by_label("Session type").select_option(label="Personal training")
    package.get_by_label("Credits").fill("3")
    package.get_by_label("Payment note").fill("bank transfer")
    package.get_by_role("button", name="Record package").click()
    page.locator(".toast", has_text="3 credits of Personal training").wait_for()
    me.shot("bookings-owner-studio")
    assert _balance(owner, client.user["id"], kind["id"])["balance"] == 5 - 1 + 3
    notes = [p["note"] for p in owner.call("GET", "/api/packages", params={"client_id": client.user["id"]})["items"]]
    assert "bank transfer" in notes

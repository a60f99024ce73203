"""A trainer's availability in the browser (issue 19): the trainer sets the weekly hours and the exceptions on their
Sessions page, and what clients may book follows (`GET /api/slots`, the rule the Book page shows); the server's 422
for a bad range shows on the field and saves nothing; an admin picks a trainer first, in Hebrew here.

The fixtures of tests/web/test_spa.py (a fresh database per test; any console error or unexpected HTTP error fails
the test). The studio runs in Asia/Jerusalem rather than UTC, so that the test tells wall-clock hours in the studio's
zone from UTC ones: "Monday 09:00" must come back as slots at 09:00 Jerusalem time. Screenshots land in
tests/screenshots/availability-*.png.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Iterator
from zoneinfo import ZoneInfo

import pytest

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people = spa.browser, spa.spa_database_url, spa.owner, spa.people
ZONE = "Asia/Jerusalem"
# A 60-minute type in 15-minute steps within 09:00-12:00: the starts a client is offered on a Monday.
MORNING = ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30", "10:45", "11:00"]


@pytest.fixture
def server(spa_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    monkeypatch.setenv("STUDIO_TIMEZONE", ZONE)
    monkeypatch.delenv("SLOT_STEP_MINUTES", raising=False)  # the default, 15 minutes
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


def _studio(server: Server, owner: Api) -> dict[str, Any]:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    _, client = register_by_invite(server, trainer, "client", "Cleo Client")
    kind = owner.call("POST", "/api/session-types", 201, json={
        "name": "Personal training", "duration_minutes": 60, "capacity": 1, "buffer_minutes": 0,
        "uses_credit": False})
    return {"trainer_email": trainer_email, "trainer": trainer, "client": client, "type": kind}


def _today() -> date:
    return datetime.now(ZoneInfo(ZONE)).date()


def _coming_monday() -> date:
    today = _today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def _slots(client: Api, kind: dict[str, Any]) -> dict[date, list[str]]:
    """The client's free starts of the next two weeks, by local day of the studio, as local HH:MM."""
    today = _today()
    items = client.call("GET", "/api/slots", params={"type": kind["id"], "from": today.isoformat(),
                                                     "to": (today + timedelta(days=13)).isoformat()})["items"]
    days: dict[date, list[str]] = {}
    for slot in items:
        local = datetime.fromisoformat(slot["starts_at"].replace("Z", "+00:00")).astimezone(ZoneInfo(ZONE))
        days.setdefault(local.date(), []).append(local.strftime("%H:%M"))
    return days


def _weekly(api: Api, trainer_id: int) -> list[dict[str, Any]]:
    return api.call("GET", f"/api/trainers/{trainer_id}/availability")["weekly"]


@browser_only
def test_spa_trainer_sets_monday_mornings_and_a_day_off_and_clients_are_offered_just_those(
        server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    trainer, client, kind = studio["trainer"], studio["client"], studio["type"]
    assert _slots(client, kind) == {}  # no hours yet: nothing to book

    me = people(DESK)
    page = me.sign_in(studio["trainer_email"])
    page.get_by_role("link", name="Sessions", exact=True).click()
    page.get_by_role("heading", name="Weekly hours").wait_for()
    assert f"time zone ({ZONE})" in page.locator(".availability").inner_text()
    monday = page.get_by_role("group", name="Monday")
    assert monday.get_by_text("Not available").is_visible()
    page.get_by_role("button", name="Add hours on Monday").click()
    assert not monday.get_by_text("Not available").is_visible()
    monday.get_by_label("From").fill("09:00")
    monday.get_by_label("To").fill("12:00")
    page.get_by_role("button", name="Save weekly hours").click()
    page.locator(".toast", has_text="Weekly hours saved.").wait_for()
    assert _weekly(trainer, trainer.user["id"]) == [{"weekday": 0, "start": "09:00", "end": "12:00"}]

    # What a client is offered: Mondays only, 09:00 to the last hour that ends by 12:00, studio time.
    offered = _slots(client, kind)
    coming = _coming_monday()
    assert offered and all(day.weekday() == 0 for day in offered), offered
    assert offered[coming] == MORNING and offered[coming + timedelta(days=7)] == MORNING
    page.reload()  # the page draws what the API holds
    assert page.get_by_role("group", name="Monday").get_by_label("To").input_value() == "12:00"

    # A day off on the coming Monday: that Monday's slots go, the next one's stay.
    form = page.locator("form.exception-form")
    form.get_by_label("Date").fill(coming.isoformat())
    form.get_by_label("What changes").select_option(label="Whole day off")
    form.get_by_label("Note").fill("Dentist")
    form.get_by_role("button", name="Add", exact=True).click()
    item = page.locator(f".exception[data-date='{coming.isoformat()}']")
    item.wait_for()
    assert "Day off" in item.inner_text() and "Dentist" in item.inner_text()
    me.shot("availability-trainer-desk")
    [held] = trainer.call("GET", f"/api/trainers/{trainer.user['id']}/availability")["exceptions"]
    assert (held["date"], held["kind"], held["start"], held["note"]) == (coming.isoformat(), "off", None, "Dentist")
    offered = _slots(client, kind)
    assert coming not in offered and offered[coming + timedelta(days=7)] == MORNING

    # Deleting it (asked first) gives the Monday back.
    item.get_by_role("button", name="Delete").click()
    item.get_by_role("button", name="Yes, delete").click()
    page.get_by_text("No days off or extra hours coming up.").wait_for()
    assert trainer.call("GET", f"/api/trainers/{trainer.user['id']}/availability")["exceptions"] == []
    assert _slots(client, kind)[coming] == MORNING

    # Extra hours on the Wednesday after it: the form asks for the hours, and that day is bookable in them only.
    wednesday = coming + timedelta(days=2)
    assert form.get_by_label("From").is_hidden()  # a whole day off has no hours
    form.get_by_label("Date").fill(wednesday.isoformat())
    form.get_by_label("What changes").select_option(label="Extra hours")
    form.get_by_label("From").fill("14:00")
    form.get_by_label("To").fill("16:00")
    form.get_by_role("button", name="Add", exact=True).click()
    extra = page.locator(f".exception[data-date='{wednesday.isoformat()}']")
    extra.wait_for()
    assert "Extra hours 14:00–16:00" in extra.inner_text()
    assert _slots(client, kind)[wednesday] == ["14:00", "14:15", "14:30", "14:45", "15:00"]


@browser_only
def test_spa_an_end_before_its_start_shows_the_servers_error_on_a_phone_and_saves_nothing(
        server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    trainer, trainer_id = studio["trainer"], studio["trainer"].user["id"]
    week = [{"weekday": 0, "start": "09:00", "end": "12:00"}]
    trainer.call("PUT", f"/api/trainers/{trainer_id}/availability", json={"weekly": week})

    phone = people(PHONE)
    phone.expected_statuses = {422}
    page = phone.sign_in(studio["trainer_email"])
    page.get_by_role("link", name="Sessions", exact=True).click()
    tuesday = page.get_by_role("group", name="Tuesday")
    page.get_by_role("button", name="Add hours on Tuesday").click()
    tuesday.get_by_label("From").fill("12:00")
    tuesday.get_by_label("To").fill("09:00")
    page.get_by_role("button", name="Save weekly hours").click()
    to = tuesday.get_by_label("To")
    page.wait_for_selector("input[aria-invalid='true']")
    assert to.get_attribute("aria-invalid") == "true"
    error = tuesday.locator(".field-error:visible")
    assert error.is_visible() and "must be after `start`" in error.inner_text()
    assert page.locator(".toast", has_text="Weekly hours saved.").count() == 0
    assert _weekly(trainer, trainer_id) == week  # nothing replaced
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.shot("availability-trainer-phone-error")

    # Put right, it saves: the error goes and the API holds both days.
    to.fill("15:00")
    page.get_by_role("button", name="Save weekly hours").click()
    page.locator(".toast", has_text="Weekly hours saved.").wait_for()
    assert _weekly(trainer, trainer_id) == week + [{"weekday": 1, "start": "12:00", "end": "15:00"}]
    assert page.get_by_role("group", name="Tuesday").locator(".field-error:visible").count() == 0


@browser_only
def test_spa_admin_picks_a_trainer_and_sets_their_hours_in_hebrew(server: Server, owner: Api,
                                                                  people: Any) -> None:
    first = _studio(server, owner)["trainer"]
    _, second = register_by_invite(server, owner, "trainer", "Dana Trainer")

    me = people(DESK)
    page = me.go("/signin")
    page.evaluate("localStorage.setItem('elior.language', 'he')")
    page.reload()  # the app boots in Hebrew
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    page.locator("input[name=email]").fill(spa.ADMIN_EMAIL)
    page.locator("input[name=password]").fill(spa.ADMIN_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("header.top")
    page = me.go("/sessions")
    page.get_by_role("heading", name="שעות המאמנים").wait_for()
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["he", "rtl"]

    page.get_by_label("מאמן/ת").select_option(label="Dana Trainer")
    editor = page.locator(f".availability[data-trainer='{second.user['id']}']")
    editor.wait_for()
    assert editor.get_by_role("heading", name="שעות שבועיות").is_visible()
    # The Hebrew week starts on Sunday.
    assert editor.locator("fieldset legend").first.inner_text() == "יום ראשון"
    sunday = editor.get_by_role("group", name="יום ראשון")
    assert sunday.get_by_text("אין שעות זמינות").is_visible()
    editor.get_by_role("button", name="הוספת שעות ביום ראשון").click()
    sunday.get_by_label("משעה").fill("08:00")
    sunday.get_by_label("עד שעה").fill("10:30")
    editor.get_by_role("button", name="שמירת השעות השבועיות").click()
    page.locator(".toast", has_text="השעות השבועיות נשמרו.").wait_for()
    assert editor.get_by_role("heading", name="ימי חופש ושעות נוספות").is_visible()
    me.shot("availability-admin-hebrew")
    assert _weekly(owner, second.user["id"]) == [{"weekday": 6, "start": "08:00", "end": "10:30"}]
    assert _weekly(owner, first.user["id"]) == []

"""Muting kinds of in-app notification in the browser (GET/PUT /api/notifications/settings, elior/conversations/
mutes.py): a client mutes workouts from the "In the app" section of the page the Account page links to, and a workout
the trainer then makes for them leaves the bell silent while a message still rings it; unmuting brings workouts back.
A kind that never reaches the role is not offered, and stays muted through a save. In Hebrew the section is Hebrew
and right-to-left.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py; any
console error, uncaught exception or CSP violation fails the test). Screenshots land in tests/screenshots/mutes-*.
"""
from __future__ import annotations

import time
from datetime import date
from typing import Any

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, owner, people, server = spa.browser, spa.spa_database_url, spa.owner, spa.people, spa.server
SETTINGS = "/api/notifications/settings"


def _trainer_and_client(server: Server, owner: Api) -> tuple[Api, str, Api]:
    """A trainer and a client of theirs, made by invites, and an exercise to build workouts from."""
    _, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    return trainer, client_email, client


def _workout(trainer: Api, client: Api, title: str) -> None:
    squat = trainer.call("POST", "/api/exercises", 201, json={"name": f"Squat for {title}", "muscle_group": "legs"})
    trainer.call("POST", "/api/workouts", 201, json={
        "client_id": client.user["id"], "title": title, "scheduled_for": date.today().isoformat(),
        "exercises": [{"exercise_id": squat["id"], "position": 1, "sets": 3, "reps": 8}]})


def _types(client: Api) -> list[str]:
    return [n["type"] for n in client.call("GET", "/api/notifications")["items"]]


def _wait_for_types(client: Api, expected: list[str]) -> None:
    """The client's notification types (newest first) become `expected` (the notifier runs after the write)."""
    deadline = time.monotonic() + 10
    while _types(client) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _types(client) == expected


def _open_settings(page: Any) -> None:
    """From the Account page to the notification settings, as a person gets there."""
    page.get_by_role("link", name="Account").first.click()
    page.get_by_role("link", name="Two-factor sign-in and e-mail notifications").click()
    page.wait_for_selector("form.notify-mutes")


@browser_only
def test_a_client_mutes_workouts_and_the_bell_stays_silent_for_them(server: Server, owner: Api, people: Any) -> None:
    trainer, client_email, client = _trainer_and_client(server, owner)
    client.call("PUT", SETTINGS, json={"muted": ["progress"]})  # a kind a client is never told of (muted elsewhere)
    phone = people(PHONE)
    page = phone.sign_in(client_email)
    _open_settings(page)
    section = page.locator("section", has=page.locator("form.notify-mutes"))
    assert section.get_by_role("heading", name="In the app").is_visible()
    assert section.get_by_text("is neither stored nor shown in the bell").is_visible()
    for kind in ("Messages", "Comments on workouts", "Check-ins", "Habits", "Workouts", "Meal entries", "Programs"):
        assert not page.get_by_label(kind, exact=True).is_checked(), kind
    assert page.get_by_label("Progress entries", exact=True).count() == 0  # only trainers are told of progress

    page.get_by_label("Workouts", exact=True).check()
    page.get_by_role("button", name="Save in-app settings").click()
    page.wait_for_selector(".toast:has-text('In-app settings saved.')")
    phone.shot("mutes-client-muted-workouts")
    assert client.call("GET", SETTINGS)["muted"] == ["progress", "workout"]  # the hidden kind kept

    before = client.call("GET", "/api/notifications")["total"]
    _workout(trainer, client, "Quiet legs")
    trainer.call("POST", f"/api/conversations/{client.user['id']}/messages", 201, json={"body": "Your plan is in"})
    _wait_for_types(client, ["message.created"])  # the message is told; the workout before it was not
    assert client.call("GET", "/api/notifications")["total"] == before + 1
    page.wait_for_selector(".bell-wrap[data-unread='1']")
    page.locator("button.bell").click()
    assert page.locator(".bell-list li").count() == 1
    page.locator(".bell-list").get_by_text("Tess Trainer").wait_for()
    assert page.locator(".bell-list").get_by_text("Quiet legs").count() == 0
    page.keyboard.press("Escape")

    page.reload()  # the choice is the server's, not the page's
    page.wait_for_selector("form.notify-mutes")
    assert page.get_by_label("Workouts", exact=True).is_checked()
    page.get_by_label("Workouts", exact=True).uncheck()
    page.get_by_role("button", name="Save in-app settings").click()
    page.wait_for_selector(".toast:has-text('In-app settings saved.')")
    assert client.call("GET", SETTINGS)["muted"] == ["progress"]
    _workout(trainer, client, "Loud legs")
    _wait_for_types(client, ["workout.created", "message.created"])
    page.wait_for_selector(".bell-wrap[data-unread='2']")


@browser_only
def test_a_trainer_is_offered_the_kinds_that_reach_trainers(server: Server, owner: Api, people: Any) -> None:
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    desk = people(DESK)
    page = desk.sign_in(trainer_email)
    _open_settings(page)
    assert page.get_by_label("Progress entries", exact=True).is_visible()
    assert page.get_by_label("Habits", exact=True).count() == 0  # only clients are told of habits and programs
    assert page.get_by_label("Programs", exact=True).count() == 0
    page.get_by_label("Messages", exact=True).check()
    page.get_by_label("Meal entries", exact=True).check()
    page.get_by_role("button", name="Save in-app settings").click()
    page.wait_for_selector(".toast:has-text('In-app settings saved.')")
    desk.shot("mutes-trainer")
    assert trainer.call("GET", SETTINGS)["muted"] == ["meal_entry", "message"]


@browser_only
def test_the_in_app_section_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    _, client_email, client = _trainer_and_client(server, owner)
    phone = people(PHONE)
    page = phone.sign_in(client_email)
    page.evaluate("localStorage.setItem('elior.language','he')")
    page = phone.go("/security")  # the app boots again, in Hebrew
    page.wait_for_selector("form.notify-mutes")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["he", "rtl"]
    section = page.locator("section", has=page.locator("form.notify-mutes"))
    assert section.get_by_role("heading", name="באפליקציה").is_visible()
    assert section.get_by_text("לא נשמרת ולא מוצגת בפעמון").is_visible()
    assert section.locator("legend").inner_text() == "השתקת הסוגים האלה"
    page.get_by_label("אימונים", exact=True).check()
    page.get_by_role("button", name="שמירת הגדרות האפליקציה").click()
    page.wait_for_selector(".toast:has-text('הגדרות האפליקציה נשמרו.')")
    phone.shot("mutes-hebrew")
    assert client.call("GET", SETTINGS)["muted"] == ["workout"]

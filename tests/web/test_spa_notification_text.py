"""Notifications speak the reader's language: the bell and the notification history build each sentence in the
browser from the notification's `type` and `data` (static/src/notification_text.js), not from the server's English
`data.message`.

In English a sentence is exactly the server's `message`, except its dates: the server writes ISO days and the
studio's wall clock, the browser shows them in the user's locale. In Hebrew each sentence is Hebrew; the scene's data
(names, titles, the session type) is Hebrew too, so any Latin letter left is an untranslated word of the app.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

NAMES = {
    "en": {"trainer": "Tess Trainer", "client": "Cleo Client", "workout": "Leg day", "meal": "Lunch",
           "type": "Personal training"},
    "he": {"trainer": "דנה המאמנת", "client": "יואב המתאמן", "workout": "יום רגליים", "meal": "ארוחת צהריים",
           "type": "אימון אישי"},
}
# The browser's date formats (dom.js fmtDate, fmtTime) in the English locale, for the server's ISO values.
FORMATS = """([day, moment]) => [
  new Date(`${day}T00:00:00`).toLocaleDateString("en-GB", {weekday: "short", day: "numeric", month: "short",
                                                          year: "numeric"}),
  new Date(moment).toLocaleString("en-GB", {weekday: "short", day: "numeric", month: "short", year: "numeric",
                                           hour: "2-digit", minute: "2-digit"})]"""


def _day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def _scene(server: Server, owner: Api, names: dict[str, str]) -> dict[str, Any]:
    """Through the API: a workout for the client, a message from the trainer, the client's meal entry reviewed, a
    session the trainer booked for the client and one the client booked (which tells the trainer)."""
    trainer_email, trainer = register_by_invite(server, owner, "trainer", names["trainer"])
    client_email, client = register_by_invite(server, trainer, "client", names["client"])
    cid = client.user["id"]
    trainer.call("POST", "/api/workouts", 201, json={"client_id": cid, "title": names["workout"],
                                                     "scheduled_for": _day(3), "exercises": []})
    trainer.call("POST", f"/api/conversations/{cid}/messages", 201, json={"body": "..."})
    plan = trainer.call("POST", "/api/meal-plans", 201, json={
        "client_id": cid, "title": names["meal"], "start_date": _day(-1),
        "meals": [{"name": names["meal"], "position": 1, "items": []}]})
    entry = client.call("POST", f"/api/meal-plans/{plan['id']}/entries", 201, json={
        "date": _day(0), "meal_name": names["meal"], "description": "..."})
    trainer.call("PUT", f"/api/meal-plans/{plan['id']}/entries/{entry['id']}/review", json={"status": "approved"})
    kind = owner.call("POST", "/api/session-types", 201, json={
        "name": names["type"], "duration_minutes": 30, "capacity": 1, "buffer_minutes": 0, "uses_credit": False})
    trainer.call("POST", f"/api/trainers/{trainer.user['id']}/availability/exceptions", 201, json={
        "date": _day(2), "kind": "extra", "start": "10:00", "end": "12:00"})
    slots = client.call("GET", "/api/slots", params={"type": kind["id"], "from": _day(2)})["items"]
    trainer.call("POST", "/api/appointments", 201, json={"type_id": kind["id"], "starts_at": slots[0]["starts_at"],
                                                         "client_id": cid})
    client.call("POST", "/api/appointments", 201, json={"type_id": kind["id"], "starts_at": slots[-1]["starts_at"]})
    return {"trainer_email": trainer_email, "trainer": trainer, "client_email": client_email, "client": client}


def _shown(page: Any, server: Server, count: int) -> tuple[list[str], list[str]]:
    """The sentences of the notification history and of the bell, newest first."""
    page.goto(server.url + "/notifications")
    page.locator("li[data-notification]").nth(count - 1).wait_for()
    history = page.locator("li[data-notification] strong").all_inner_texts()
    page.locator("button.bell").click()
    page.locator(".bell-list .note-text").nth(count - 1).wait_for()
    return history, page.locator(".bell-list .note-text").all_inner_texts()


def _english(page: Any, note: dict[str, Any]) -> str:
    """The server's sentence with its dates as the English browser shows them."""
    data, message = note["data"], note["data"]["message"]
    day, moment = page.evaluate(FORMATS, [data.get("scheduled_for") or _day(0), data.get("starts_at") or _day(0)])
    if data.get("scheduled_for"):
        message = message.replace(f"on {data['scheduled_for']}", f"on {day}")
    if data.get("starts_at"):
        message = message.replace(data["when"], moment)
    return message


@browser_only
def test_spa_notifications_in_english_are_the_servers_sentences_with_local_dates(server: Server, owner: Api,
                                                                                  people: Any) -> None:
    scene = _scene(server, owner, NAMES["en"])
    notes = scene["client"].call("GET", "/api/notifications")["items"]
    assert {n["type"] for n in notes} == {"workout.created", "message.created", "meal_entry.reviewed",
                                          "appointment.booked"}
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    history, bell = _shown(page, server, len(notes))
    expected = [_english(page, n) for n in notes]
    assert history == bell == expected
    assert "Your meal entry Lunch was approved" in expected and "New message from Tess Trainer" in expected
    assert any(s.startswith("New workout: Leg day on ") and _day(3) not in s for s in expected)
    me.shot("notification-text-en", full_page=False)

    # The trainer is told of the session the client booked, by name.
    trainer_notes = scene["trainer"].call("GET", "/api/notifications")["items"]
    desk = people(DESK)
    tpage = desk.sign_in(scene["trainer_email"])
    history, bell = _shown(tpage, server, len(trainer_notes))
    assert history == bell == [_english(tpage, n) for n in trainer_notes]
    assert any(s.endswith(" by Cleo Client") and s.startswith("Personal training booked for ") for s in history)


@browser_only
def test_spa_notifications_in_hebrew_are_hebrew_sentences(server: Server, owner: Api, people: Any) -> None:
    names = NAMES["he"]
    scene = _scene(server, owner, names)
    notes = scene["client"].call("GET", "/api/notifications")["items"]
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    page.evaluate("localStorage.setItem('elior.language', 'he')")  # this device chose Hebrew; the app boots in it
    history, bell = _shown(page, server, len(notes))
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert history == bell and len(history) == len(notes)
    for sentence, note in zip(history, notes):
        assert sentence != note["data"]["message"]
        assert not re.search(r"[A-Za-z]", sentence), sentence  # the data is Hebrew: a Latin word is the app's
    assert f"הודעה חדשה מאת {names['trainer']}" in history
    assert f"רישום הארוחה {names['meal']} אושר" in history
    assert any(s.startswith(f"אימון חדש: {names['workout']}, ") for s in history)
    assert any(s.startswith(f"הוזמן: {names['type']}, ") for s in history)
    me.shot("notification-text-he", full_page=False)

    trainer_notes = scene["trainer"].call("GET", "/api/notifications")["items"]
    desk = people(DESK)
    tpage = desk.sign_in(scene["trainer_email"])
    tpage.evaluate("localStorage.setItem('elior.language', 'he')")
    history, _ = _shown(tpage, server, len(trainer_notes))
    assert f"{names['client']} רשם/ה ארוחה: {names['meal']}" in history
    assert any(s.startswith(f"{names['client']} הזמין/ה: {names['type']}, ") for s in history)
    assert not any(re.search(r"[A-Za-z]", s) for s in history), history


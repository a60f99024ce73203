"""The whole browser app in Hebrew (issue 17): the owner switches the studio to Hebrew, and every screen of every role
is then drawn right-to-left, in Hebrew, with no missing key (a missing key logs a console error, which fails the
fixtures) and no English left in the page's own words: headings, labels, buttons, table heads, links of the
navigation, placeholders. The scene's data is Hebrew too (names, exercises, a workout, a meal plan), so that any
Latin word left in those elements is an untranslated text of the app, not a user's data.

Screenshots of the main screens in Hebrew and English, on a 360 px phone and a desktop, land in tests/screenshots/
(he-*.png, en-*.png) for a person to look at.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest

from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

# Words the Hebrew app keeps in Latin letters on purpose: units, file formats, protocols and names of things.
KEPT = {"kg", "lb", "cm", "in", "kcal", "g", "km", "m", "min", "s", "ms", "CSV", "PDF", "TOTP", "iCal", "URL", "QR",
        "Elior", "RPE", "RIR", "AMRAP", "SMTP", "ZIP", "JSON", "PNG", "JPEG", "HEIC", "WebP", "KB", "kB", "MB", "ID",
        "English", "API", "UTC", "SQLite", "PostgreSQL", "HTTP", "p50", "p99",
        # the browsers of the Account page's sessions list (data: the sessions' user agents)
        "Chrome", "HeadlessChrome", "Linux", "python", "httpx2",
        # the System page's request metrics, by method and route (data: the API's own paths, stripped below)
        "GET", "POST", "PUT", "DELETE", "static"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")
EMAIL = re.compile(r"\S+@\S+|/\S*")  # addresses and paths are data
# The page's own words: where a translation belongs (data sits in cells, items and paragraphs).
CHROME = "h1, h2, h3, h4, label, button, th, legend, caption, summary, nav a, .empty, .notice"

SCREENS = {
    "admin": ["/admin/users", "/admin/trainers", "/clients", "/invites", "/exercises", "/review", "/admin/system",
              "/programs", "/programs/new", "/calendar", "/studio", "/sessions", "/admin/deletions", "/notifications",
              "/account", "/security", "/units"],
    "trainer": ["/attention", "/clients", "/clients/{client}", "/workouts/new", "/workouts/{workout}/edit",
                "/meal-plans/new", "/calendar", "/sessions", "/programs", "/programs/new", "/review", "/exercises",
                "/invites", "/messages", "/check-ins", "/notifications", "/account"],
    "client": ["/today", "/book", "/calendar", "/meals", "/progress", "/history", "/messages", "/check-in",
               "/notifications", "/account", "/security", "/units"],
}
SHOTS = {"admin": ["/admin/users", "/studio"], "trainer": ["/clients/{client}", "/workouts/{workout}/edit"],
         "client": ["/today", "/meals", "/progress"]}


def _hebrew_studio(server: Server, owner: Api) -> dict[str, Any]:
    """A trainer and a client with Hebrew names, Hebrew exercises, today's workout (logged) and a meal plan."""
    owner.call("PUT", "/api/studio", 200, json={"language": "he"})
    owner.call("PUT", f"/api/users/{owner.user['id']}", 200, json={"full_name": "נועה בעלת הסטודיו"})
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "דנה המאמנת")
    client_email, client = register_by_invite(server, trainer, "client", "יואב המתאמן")
    squat = trainer.call("POST", "/api/exercises", 201, json={"name": "סקוואט גביע", "muscle_group": "legs"})
    press = trainer.call("POST", "/api/exercises", 201, json={"name": "שכיבות סמיכה", "muscle_group": "chest"})
    workout = trainer.call("POST", "/api/workouts", 201, json={
        "client_id": client.user["id"], "title": "רגליים ודחיפה", "scheduled_for": date.today().isoformat(),
        "exercises": [{"exercise_id": squat["id"], "position": 1, "sets": 2, "reps": 10, "weight_kg": 20},
                      {"exercise_id": press["id"], "position": 2, "sets": 2, "reps": 12}]})
    trainer.call("POST", "/api/meal-plans", 201, json={
        "client_id": client.user["id"], "title": "שבוע קליל",
        "start_date": (date.today() - timedelta(days=1)).isoformat(),
        "targets": {"kcal": 2200, "protein_g": 150, "carbs_g": 220, "fat_g": 70},
        "meals": [{"name": "ארוחת בוקר", "time": "08:00", "position": 1, "items": [
            {"food": "שיבולת שועל", "quantity_g": 80, "kcal": 300, "protein_g": 10, "carbs_g": 54, "fat_g": 6}]}]})
    client.call("POST", "/api/progress", 201, json={"date": date.today().isoformat(), "weight_kg": 80.5})
    return {"trainer": trainer_email, "client": client_email, "client_id": client.user["id"],
            "workout_id": workout["id"]}


def _sign_in(person: Any, email: str, password: str) -> Any:
    """Sign in on the Hebrew page (its labels are Hebrew, so by the fields' names)."""
    page = person.go("/signin")
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")  # the studio's language, asked at boot
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_selector("header.top")
    return page


def _english_left(page: Any) -> list[str]:
    """Latin words in the page's own words (headings, labels, buttons...), apart from the ones kept on purpose."""
    texts: list[str] = page.evaluate(
        """(selector) => [...document.querySelectorAll(selector)].filter((el) => el.offsetParent !== null)
              .map((el) => el.innerText)
            .concat([...document.querySelectorAll("[placeholder]")].map((el) => el.placeholder))
            .concat([...document.querySelectorAll("[aria-label]")].map((el) => el.getAttribute("aria-label")))""",
        CHROME)
    left = []
    for text in texts:
        for word in LATIN_WORD.findall(EMAIL.sub(" ", text or "")):
            if word not in KEPT:
                left.append(f"{word!r} in {text.strip()[:80]!r}")
    return left


def _visit(person: Any, path: str) -> Any:
    page = person.go(path)
    page.wait_for_selector("main h1, main h2")
    page.wait_for_load_state("networkidle")
    return page


@browser_only
@pytest.mark.parametrize("role", ["admin", "trainer", "client"])
def test_every_screen_of_every_role_in_hebrew(server: Server, owner: Api, people: Any, role: str) -> None:
    scene = _hebrew_studio(server, owner)
    email, password = {"admin": (ADMIN_EMAIL, ADMIN_PASSWORD), "trainer": (scene["trainer"], PASSWORD),
                       "client": (scene["client"], PASSWORD)}[role]
    person = people(DESK)
    _sign_in(person, email, password)
    problems: dict[str, list[str]] = {}
    for screen in SCREENS[role]:
        path = screen.format(client=scene["client_id"], workout=scene["workout_id"])
        page = _visit(person, path)
        assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["he", "rtl"], path
        assert re.search(r"[\u0590-\u05FF]", page.locator("main").inner_text()), f"{path}: no Hebrew on the page"
        left = _english_left(page)
        if left:
            problems[path] = left
    assert problems == {}, problems


@browser_only
@pytest.mark.parametrize("viewport", [PHONE, DESK], ids=["phone", "desktop"])
def test_screenshots_in_hebrew_and_english(server: Server, owner: Api, people: Any,
                                           viewport: dict[str, int]) -> None:
    scene = _hebrew_studio(server, owner)
    size = "phone" if viewport == PHONE else "desktop"
    for role, email, password in (("admin", ADMIN_EMAIL, ADMIN_PASSWORD), ("trainer", scene["trainer"], PASSWORD),
                                  ("client", scene["client"], PASSWORD)):
        person = people(viewport)
        _sign_in(person, email, password)
        for language in ("he", "en"):
            if language == "en":  # the header's switch: saved on the user, so the next pages stay English
                person.page.locator("header select.language-switch").select_option("en")
                person.page.wait_for_function("() => document.documentElement.dir === 'ltr'")
            for screen in SHOTS[role]:
                path = screen.format(client=scene["client_id"], workout=scene["workout_id"])
                page = _visit(person, path)
                assert page.evaluate("document.documentElement.lang") == language, path
                name = path.strip("/").replace("/", "-") or "home"
                person.shot(f"{language}-{role}-{re.sub(r'[0-9]+', 'n', name)}-{size}")
        assert person.page.evaluate("document.documentElement.dir") == "ltr"

"""The coaching week in the browser (issue 15): the program builder, the assign dialog, the calendar with its
rescheduling and iCal feed, the attention queue as the trainer's home, and the review queue from one request.

Driven in Debian's chromium against a real `python -m elior serve` (the fixtures of tests/web/test_spa.py: a fresh
database per test, every console error, uncaught exception or CSP violation fails the test). The scenes around the
person in the browser go through the real API; the past (a missed week) is seeded as workouts scheduled on past
days, so the clock need not move. Screenshots land in tests/screenshots/programs-*.png.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import httpx2 as httpx
import icalendar

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, PHONE, browser_only

# The SPA tests' fixtures (chromium, a real server on a fresh database, signed-in API callers, people in browser
# contexts that fail the test on any console error), shared rather than copied.
browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

TODAY = date.today()
NEXT_MONDAY = TODAY + timedelta(days=(7 - TODAY.weekday()) or 7)


def _studio(server: Server, owner: Api) -> dict[str, Any]:
    """A trainer with three clients and a small exercise library, all through the API."""
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Tess Trainer")
    clients = {name: register_by_invite(server, trainer, "client", f"{name} Client") for name in ("Ada", "Ben", "Cy")}
    exercises = {name: trainer.call("POST", "/api/exercises", 201, json={"name": name, "muscle_group": group})
                 for name, group in (("Goblet squat", "legs"), ("Plank", "core"), ("Push-up", "chest"),
                                     ("Ring row", "back"))}
    return {"trainer_email": trainer_email, "trainer": trainer, "clients": clients, "exercises": exercises}


def _line(page: Any, workout: int, line: int, key: str) -> Any:
    return page.locator(f"[name='workouts.{workout}.exercises.{line}.{key}']")


def _add_exercise(page: Any, name: str) -> None:
    picker = page.locator(".day-panel .picker-input").last
    picker.fill(name)
    picker.press("Enter")
    page.locator(".day-panel legend", has_text=name).last.wait_for()


def _day(page: Any, week: int, day: int) -> Any:
    return page.locator(f"button.day-cell[data-week='{week}'][data-day='{day}']")


@browser_only
def test_spa_trainer_builds_a_four_week_program_assigns_it_and_reschedules(server: Server, owner: Api,
                                                                           people: Any) -> None:
    studio = _studio(server, owner)
    me = people(DESK)
    me.expected_statuses = {422}  # a save with a workout left untitled, on purpose
    page = me.sign_in(studio["trainer_email"])
    page.wait_for_selector("h1:has-text('Clients needing attention')")  # the trainer's home is the attention queue

    page.get_by_role("link", name="Programs").click()
    page.get_by_role("link", name="New program").click()
    page.locator("[name='title']").fill("Strength base")
    assert page.locator("[name='weeks']").input_value() == "4"
    assert _day(page, 1, 1).get_attribute("aria-pressed") == "true"

    # Day 1: a lower-body workout with a rep range, RPE, rest, tempo, a weekly progression, and a timed plank.
    page.get_by_role("button", name="Add a workout to this day").click()
    assert page.evaluate("document.activeElement.name") == "workouts.0.title"
    page.keyboard.type("Lower A")
    for name in ("Goblet squat", "Plank", "Push-up"):
        _add_exercise(page, name)
    for key, value in (("sets", "4"), ("reps_min", "8"), ("reps_max", "10"), ("weight_kg", "24"), ("rpe", "8"),
                       ("rest_seconds", "120"), ("tempo", "3-1-x-0")):
        _line(page, 0, 0, key).fill(value)
    page.locator("[data-line] summary").first.click()
    _line(page, 0, 0, "progression_kg").fill("2.5")
    _line(page, 0, 1, "reps_min").fill("")
    page.locator("[data-line] summary").nth(1).click()
    _line(page, 0, 1, "duration_seconds").fill("45")
    _line(page, 0, 2, "set_type").select_option("amrap")
    # Reorder with the keyboard: the push-ups go first; focus follows the line that moved.
    page.get_by_role("button", name="Move up: Push-up (line 3)").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Move down: Push-up (line 1)"
    assert page.locator(".day-panel .line > legend").all_inner_texts() == ["1. Push-up", "2. Goblet squat",
                                                                           "3. Plank"]

    # Day 3: an upper-body superset, left untitled: saving from day 1, the 422 brings day 3 back, title marked.
    _day(page, 1, 3).click()
    page.get_by_role("button", name="Add a workout to this day").click()
    for name in ("Push-up", "Ring row"):
        _add_exercise(page, name)
        _line(page, 1, page.locator(".day-panel [data-line]").count() - 1, "superset_group").fill("A")
    _day(page, 1, 1).click()
    page.get_by_role("button", name="Save program").click()
    page.wait_for_selector("input[name='workouts.1.title'][aria-invalid='true']")
    assert _day(page, 1, 3).get_attribute("aria-pressed") == "true"
    assert page.evaluate("document.activeElement.name") == "workouts.1.title"
    page.keyboard.type("Upper A")
    # Copy day 1 to day 5, then repeat week 1 in the empty days of weeks 2 to 4.
    _day(page, 1, 1).click()
    page.get_by_label("Copy this day to").select_option("1-5")
    page.get_by_role("button", name="Copy day").click()
    assert (_day(page, 1, 5).text_content() or "").endswith("Lower A")
    page.get_by_role("button", name="Repeat in weeks 2–4").click()
    assert [(_day(page, 4, d).text_content() or "").split(": ", 1)[1] for d in (1, 2, 3, 5)] == [
        "Lower A", "Rest", "Upper A", "Lower A"]
    me.shot("programs-builder")
    page.get_by_role("button", name="Save program").click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    program_id = int(page.url.rsplit("/", 1)[1])
    program = studio["trainer"].call("GET", f"/api/programs/{program_id}")
    assert (program["weeks"], len(program["workouts"])) == (4, 12)
    lower = next(t for t in program["workouts"] if (t["week"], t["day"]) == (2, 1))
    assert [(x["exercise_name"], x["set_type"], x["reps"], x["reps_min"], x["reps_max"]) for x in lower["exercises"]] \
        == [("Push-up", "amrap", 10, None, None), ("Goblet squat", "normal", None, 8, 10),
            ("Plank", "normal", None, None, None)]
    squat, plank = lower["exercises"][1], lower["exercises"][2]
    assert (squat["sets"], squat["weight_kg"], squat["rpe"], squat["rest_seconds"], squat["tempo"],
            squat["progression_kg"]) == (4, 24, 8, 120, "3-1-X-0", 2.5)
    assert plank["duration_seconds"] == 45
    upper = next(t for t in program["workouts"] if (t["week"], t["day"]) == (3, 3))
    assert [(x["exercise_name"], x["superset_group"]) for x in upper["exercises"]] == [("Push-up", "A"),
                                                                                        ("Ring row", "A")]

    # Assign to the three clients from next Monday (the dialog's default).
    page.get_by_role("button", name="Save and assign…").click()
    dialog = page.get_by_role("dialog", name="Assign “Strength base”")
    dialog.wait_for()
    assert dialog.get_by_label("Start date (week 1, day 1)").input_value() == NEXT_MONDAY.isoformat()
    find = dialog.get_by_label("Find a client")
    for name in ("Ada C", "Ben"):
        find.fill(name)
        find.press("Enter")  # the only client shown is ticked
    find.fill("Cy")
    dialog.get_by_role("button", name="Select all shown").click()
    find.fill("")
    assert dialog.get_by_text("3 of 3 selected").is_visible()
    me.shot("programs-assign", full_page=False)
    dialog.get_by_role("button", name="Assign", exact=True).click()
    dialog.get_by_role("heading", name="Assigned to 3 clients").wait_for()
    until = (NEXT_MONDAY + timedelta(days=27)).isoformat()
    calendar = studio["trainer"].call("GET", "/api/calendar", params={"from": NEXT_MONDAY.isoformat(), "to": until})
    planned = [w for day in calendar["days"] for w in day["workouts"]]
    assert len(planned) == 36 and {w["client_name"] for w in planned} == {"Ada Client", "Ben Client", "Cy Client"}

    # The calendar: week 1 holds nine workouts, three a client.
    dialog.get_by_role("link", name="See it in the calendar").click()
    page.wait_for_selector("h1:has-text('Calendar')")
    page.wait_for_selector("dialog", state="detached")
    assert page.locator("li.cal-item").count() == 9
    assert page.locator(f"[data-date='{NEXT_MONDAY}'] li.cal-item").count() == 3
    me.shot("programs-calendar-week")

    # Keyboard rescheduling: Move, then Move here on Tuesday; focus stays with the moved workout.
    tuesday, thursday = NEXT_MONDAY + timedelta(days=1), NEXT_MONDAY + timedelta(days=3)
    ada = next(w for w in planned if w["client_name"] == "Ada Client" and w["scheduled_for"] == str(NEXT_MONDAY))
    page.locator(f"[data-workout='{ada['id']}'] button.move").focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("status").filter(has_text="Moving “Lower A”").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')").startswith("Move here: Tuesday")
    page.keyboard.press("Enter")
    page.locator(f"[data-date='{tuesday}'] [data-workout='{ada['id']}']").wait_for()
    assert studio["trainer"].call("GET", f"/api/workouts/{ada['id']}")["scheduled_for"] == str(tuesday)
    assert page.evaluate("document.activeElement.closest('[data-workout]')?.dataset.workout") == str(ada["id"])
    # Escape puts a workout back down where it was.
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    assert page.locator(".move-here").count() == 0 and page.locator(".cal-moving").is_hidden()

    # Drag and drop: Ben's Monday workout onto Thursday.
    ben = next(w for w in planned if w["client_name"] == "Ben Client" and w["scheduled_for"] == str(NEXT_MONDAY))
    page.locator(f"[data-workout='{ben['id']}']").drag_to(page.locator(f"li.cal-day[data-date='{thursday}']"))
    page.locator(f"[data-date='{thursday}'] [data-workout='{ben['id']}']").wait_for()
    assert studio["trainer"].call("GET", f"/api/workouts/{ben['id']}")["scheduled_for"] == str(thursday)

    # The month: every workout of the program that falls in it, and the page stays on it after a reload.
    page.get_by_role("button", name="Month").click()
    page.wait_for_selector(".cal-grid.month")
    assert "view=month" in page.url
    page.reload()
    page.wait_for_selector(".cal-grid.month")
    me.shot("programs-calendar-month")
    assert page.locator(".cal-grid.month li.cal-day").count() in (28, 35, 42)

    # The library: the program holds three clients now.
    page.get_by_role("link", name="Programs").click()
    row = page.locator(f"tr[data-program='{program_id}']")
    row.wait_for()
    assert [cell.inner_text() for cell in row.locator("td").all()[:3]] == ["4", "12", "3"]
    me.shot("programs-library")


def _log(client: Api, workout: dict[str, Any], day: date) -> None:
    client.call("POST", f"/api/workouts/{workout['id']}/log", 201, json={
        "performed_at": min(datetime.combine(day, time(12), timezone.utc), datetime.now(timezone.utc) - timedelta(
            minutes=1)).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "sets": [{"exercise_id": x["exercise_id"], "set_number": 1, "reps": 10} for x in workout["exercises"]]})


@browser_only
def test_spa_attention_queue_is_the_trainers_home_and_flags_a_missed_week(server: Server, owner: Api,
                                                                          people: Any) -> None:
    studio = _studio(server, owner)
    trainer, squat = studio["trainer"], studio["exercises"]["Goblet squat"]
    (_, ada), (_, ben), _ = studio["clients"].values()

    def workout(client: Api, days_from_today: int) -> dict[str, Any]:
        return trainer.call("POST", "/api/workouts", 201, json={
            "client_id": client.user["id"], "title": "Full body", "scheduled_for": str(TODAY + timedelta(
                days=days_from_today)), "exercises": [{"exercise_id": squat["id"], "sets": 3, "reps": 10}]})

    # Ada did all three workouts of the week before last, then missed all three of the last seven days.
    for days in (-12, -10, -8):
        _log(ada, workout(ada, days), TODAY + timedelta(days=days))
    for days in (-6, -4, -2):
        workout(ada, days)
    # Ben is on track: both of his last workouts done, one coming, weighed in; so is Ada.
    for days in (-9, -3):
        _log(ben, workout(ben, days), TODAY + timedelta(days=days))
    for client in (ada, ben):
        workout(client, 2)
        client.call("POST", "/api/progress", 201, json={"date": str(TODAY - timedelta(days=1)), "weight_kg": 70})

    me = people(DESK)
    requests: list[str] = []
    me.page.on("request", lambda r: requests.append(r.url) if "/api/" in r.url else None)
    page = me.sign_in(studio["trainer_email"])
    page.wait_for_selector("h1:has-text('Clients needing attention')")
    rows = page.locator("table.attention tbody tr")
    rows.first.wait_for()
    assert [row.get_attribute("data-client") for row in rows.all()] == [
        str(studio["clients"][name][1].user["id"]) for name in ("Cy", "Ada", "Ben")]
    ada_row = page.locator(f"tr[data-client='{ada.user['id']}']")
    assert ada_row.locator("[data-reason='compliance_drop']").inner_text() == "7-day compliance 0%, down from 100%"
    assert ada_row.locator("[data-reason='inactive']").inner_text() == "nothing logged for 8 days"
    assert ada_row.locator(".compliance li").first.inner_text().split() == ["7", "d", "0%", "0/3"]
    assert page.locator(f"tr[data-client='{studio['clients']['Cy'][1].user['id']}'] .compliance").inner_text() \
        .count("nothing due") == 3
    assert page.locator(f"tr[data-client='{ben.user['id']}']").get_by_text("All good").is_visible()
    assert "2 of 3 clients need attention" in page.locator("p.lead").inner_text()
    me.shot("programs-attention")
    # One request for the whole queue: nothing fetched per client or per plan.
    assert [url for url in requests if "/api/clients/attention" in url] and not [
        url for url in requests if re.search(r"/api/(workouts|meal-plans|progress)\b", url)]

    page.get_by_label("Only those needing attention").check()
    page.wait_for_function("() => document.querySelectorAll('table.attention tbody tr').length === 2")
    # A flagged client's name leads to their page.
    ada_row.get_by_role("link", name="Ada Client").click()
    page.wait_for_url(f"**/clients/{ada.user['id']}")


@browser_only
def test_spa_client_calendar_on_desk_and_phone_with_its_ical_feed(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    trainer, push = studio["trainer"], studio["exercises"]["Push-up"]
    ada_email, ada = studio["clients"]["Ada"]
    program = trainer.call("POST", "/api/programs", 201, json={"title": "Two a week", "weeks": 2, "workouts": [
        {"week": w, "day": d, "title": f"Session {d}", "exercises": [{"exercise_id": push["id"], "sets": 3,
                                                                      "reps_min": 8, "reps_max": 12}]}
        for w in (1, 2) for d in (1, 4)]})
    trainer.call("POST", f"/api/programs/{program['id']}/assign", 201,
                 json={"client_ids": [ada.user["id"]], "start_date": str(TODAY)})
    first = trainer.call("GET", "/api/calendar", params={"from": str(TODAY), "to": str(TODAY)})["days"][0]
    _log(ada, trainer.call("GET", f"/api/workouts/{first['workouts'][0]['id']}"), TODAY)
    trainer.call("POST", "/api/workouts", 201, json={"client_id": ada.user["id"], "title": "Missed run",
                                                    "scheduled_for": str(TODAY - timedelta(days=1))})

    desk = people(DESK)
    desk.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = desk.sign_in(ada_email)
    page.get_by_role("link", name="Calendar").click()
    page.wait_for_selector("h1:has-text('Your calendar')")
    today = page.locator(f"li.cal-day[data-date='{TODAY}']")
    assert today.locator(".cal-item .pill").inner_text() == "Done"
    assert page.locator("button.move").count() == 0 and page.locator("[draggable='true']").count() == 0
    desk.shot("programs-client-calendar")
    yesterday, later = TODAY - timedelta(days=1), TODAY + timedelta(days=3)
    page.goto(f"{server.url}/calendar?view=week&date={yesterday}")
    page.locator(f"[data-date='{yesterday}'] li.cal-item.missed").get_by_text("Missed", exact=True).wait_for()
    page.goto(f"{server.url}/calendar?view=month&date={later}")
    page.wait_for_selector(".cal-grid.month")
    assert page.locator(f"[data-date='{later}'] li.cal-item").inner_text().startswith("Session 4")
    desk.shot("programs-client-calendar-month")

    # The feed: make a link, copy it, subscribe (the file parses); a new link stops the old one; off stops both.
    page.get_by_role("button", name="Make a calendar link").click()
    url = page.locator("#feed-url").input_value()
    assert url.startswith(f"{server.url}/api/calendar.ics?token=")
    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied.").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == url
    feed = icalendar.Calendar.from_ical(httpx.get(url, timeout=20).content)
    summaries = sorted(str(event["SUMMARY"]) for event in feed.walk("VEVENT"))
    assert summaries == ["Done: Session 1", "Missed run", "Session 1", "Session 4", "Session 4"]
    page.evaluate("window.scrollTo(0, 0)")  # the focused link scrolled the page; a full-page shot starts at the top
    desk.shot("programs-client-calendar-feed")
    page.get_by_role("button", name="Make a new link").click()
    page.wait_for_function("(old) => document.querySelector('#feed-url')?.value !== old", arg=url)
    rotated = page.locator("#feed-url").input_value()
    assert httpx.get(url, timeout=20).status_code == 404 and httpx.get(rotated, timeout=20).status_code == 200
    page.reload()
    page.get_by_text("You made a calendar link on").wait_for()
    assert page.locator("#feed-url").count() == 0  # only its hash is kept: the link is shown once
    page.get_by_role("button", name="Turn the link off").click()
    page.get_by_text("No calendar link yet.").wait_for()
    assert httpx.get(rotated, timeout=20).status_code == 404

    phone = people(PHONE)
    page = phone.sign_in(ada_email)
    page.get_by_role("link", name="Calendar").click()
    page.wait_for_selector(f"li.cal-day[data-date='{TODAY}'] li.cal-item")
    phone.shot("programs-client-calendar-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("button", name="Month").click()
    page.wait_for_selector(".cal-grid.month")
    phone.shot("programs-client-calendar-month-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@browser_only
def test_spa_review_queue_comes_from_one_request_oldest_first(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    trainer = studio["trainer"]
    entries = []
    for name, days_ago in (("Ada", 1), ("Ben", 3)):
        client = studio["clients"][name][1]
        plan = trainer.call("POST", "/api/meal-plans", 201, json={
            "client_id": client.user["id"], "title": f"{name}'s plan", "start_date": str(TODAY - timedelta(days=7)),
            "targets": {"kcal": 2200}, "meals": [{"name": "Lunch", "position": 1, "items": []}]})
        entries.append(client.call("POST", f"/api/meal-plans/{plan['id']}/entries", 201, json={
            "date": str(TODAY - timedelta(days=days_ago)), "meal_name": "Lunch", "description": f"{name}'s lunch",
            "kcal": 600}))
    me = people(DESK)
    requests: list[str] = []
    me.page.on("request", lambda r: requests.append(r.url) if "/api/meal" in r.url else None)
    page = me.sign_in(studio["trainer_email"])
    page.get_by_role("link", name="Review").click()
    cards = page.locator("li.review")
    cards.nth(1).wait_for()
    assert [card.get_attribute("data-entry") for card in cards.all()] == [str(entries[1]["id"]),
                                                                         str(entries[0]["id"])]
    assert cards.first.locator("h2").inner_text() == "Ben Client: Lunch"
    assert "Ben's plan" in cards.first.inner_text()
    assert page.get_by_text("2 waiting for review").is_visible()
    assert page.get_by_role("button", name="Show more").is_hidden()  # both entries fit one page
    me.shot("programs-review-queue")
    assert [url.split("?")[0].removeprefix(server.url) for url in requests] == ["/api/meal-entries"]
    cards.first.get_by_role("button", name="Reject").click()
    page.get_by_text("1 waiting for review").wait_for()
    assert page.evaluate("document.activeElement.closest('li')?.dataset.entry") == str(entries[0]["id"])
    ben = studio["clients"]["Ben"][1]
    assert ben.call("GET", f"/api/meal-plans/{entries[1]['plan_id']}/entries")["items"][0]["status"] == "rejected"

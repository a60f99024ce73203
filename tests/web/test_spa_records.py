"""The client's exercise records and meal adherence in the browser, in Debian's chromium against a real
`python -m elior serve` (the fixtures of tests/web/test_spa.py: a fresh database per test; any console error,
uncaught exception, CSP violation or native dialog fails the test):

- records.js: an exercise's name (History page, Today card) opens its personal records and its sessions, newest
  first, with the numbers the API computed (best set, volume, Epley e1RM), in pounds for a client who chose them,
  and earlier sessions on demand;
- adherence.js: the Meals page shows the plan's days as cells coloured by the day's kcal against the target, the
  percentage on each, and the numbers behind them;
- both in Hebrew, right to left.
The scenes go through the real API (workouts logged in the past with `performed_at`). Screenshots land in
tests/screenshots/records-*.png.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from elior import clock
from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import PHONE, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people


def _day(offset: int) -> str:
    return (date.today() + timedelta(days=offset)).isoformat()


def _log(trainer: Api, client: Api, exercise: dict[str, Any], days_ago: int, sets: list[tuple[int, float]]) -> None:
    """A workout of one exercise `days_ago`, logged by the client with these (reps, kg) sets."""
    workout = trainer.call("POST", "/api/workouts", 201, json={
        "client_id": client.user["id"], "title": f"Squats {days_ago}", "scheduled_for": _day(-days_ago),
        "exercises": [{"exercise_id": exercise["id"], "position": 1, "sets": len(sets), "reps": 10}]})
    performed = clock.iso(clock.now() - timedelta(days=days_ago, minutes=1))
    client.call("POST", f"/api/workouts/{workout['id']}/log", 201, json={"performed_at": performed, "sets": [
        {"exercise_id": exercise["id"], "set_number": n, "reps": reps, "weight_kg": kg}
        for n, (reps, kg) in enumerate(sets, 1)]})


def _squats(server: Server, owner: Api) -> dict[str, Any]:
    """The scene of test_spa.py (today's workout: goblet squats and push-ups) and two squat sessions logged:
    3 days ago 10 x 20 kg and 8 x 25 kg (volume 400, best set 8 x 25: e1RM 31.67); yesterday 5 x 30 kg and
    12 x 15 kg (volume 330, best set 5 x 30: e1RM 35, heaviest 30 kg, most reps 12)."""
    scene = spa._scene(server, owner)
    _log(scene["trainer"], scene["client"], scene["squat"], 3, [(10, 20), (8, 25)])
    _log(scene["trainer"], scene["client"], scene["squat"], 1, [(5, 30), (12, 15)])
    return scene


def _records(page: Any) -> dict[str, str]:
    return {row.get_attribute("data-record"): row.locator(".record-value").inner_text()
            for row in page.locator(".exercise-history .record").all()}


def _sessions(page: Any) -> list[list[str]]:
    return [row.locator("td").all_inner_texts() for row in page.locator(".exercise-history tbody tr").all()]


@browser_only
def test_spa_client_opens_an_exercise_and_sees_its_records_and_sessions(server: Server, owner: Api,
                                                                        people: Any) -> None:
    scene = _squats(server, owner)
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    page.get_by_role("link", name="History").click()
    exercises = page.get_by_role("group", name="Exercises")
    exercises.get_by_role("button", name="Goblet squat").click()
    page.wait_for_selector(".exercise-history h3:has-text('Goblet squat: records and sessions')")
    assert exercises.get_by_role("button", name="Goblet squat").get_attribute("aria-pressed") == "true"
    assert _records(page) == {"e1rm_kg": "35 kg", "heaviest_kg": "30 kg", "most_reps": "12 reps",
                              "volume_kg": "400 kg"}
    # The best volume was three days ago, the rest yesterday: each record says when.
    volume = page.locator(".record[data-record='volume_kg'] .record-date").inner_text()
    assert volume.strip() == "on " + page.evaluate(f"new Date('{_day(-3)}T00:00:00').toLocaleDateString('en-GB', "
                                                   "{weekday: 'short', day: 'numeric', month: 'short', "
                                                   "year: 'numeric'})")
    # Newest first: date, sets, reps, best set, volume.
    rows = _sessions(page)
    assert [row[1:] for row in rows] == [["2", "17", "5 × 30 kg", "330"], ["2", "18", "8 × 25 kg", "400"]]
    assert page.locator(".exercise-history th").all_inner_texts()[:5] == ["Date", "Sets", "Reps", "Best set",
                                                                          "Volume (kg)"]
    assert page.locator(".exercise-history").inner_text().endswith("All 2 sessions.")
    assert page.locator(".exercise-history .load-more").count() == 0
    # The push-ups were never logged: said so, not an empty table.
    exercises.get_by_role("button", name="Push-up").click()
    page.wait_for_selector(".exercise-history:has-text('No sessions logged for this exercise yet.')")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    me.shot("records-history-phone")


@browser_only
def test_spa_records_in_pounds_from_the_today_card_with_earlier_sessions_on_demand(server: Server, owner: Api,
                                                                                   people: Any) -> None:
    scene = _squats(server, owner)
    client: Api = scene["client"]
    # Ten more, older sessions: 12 in all, more than the ten shown first.
    for days_ago in range(4, 14):
        _log(scene["trainer"], client, scene["squat"], days_ago, [(10, 10)])
    client.call("PUT", f"/api/users/{client.user['id']}", json={"units_weight": "lb"})
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    # Today's card: the exercise's name opens its history right under it, and closes it again.
    squat = page.locator("ol.plan li", has_text="Goblet squat")
    button = squat.get_by_role("button", name="Goblet squat")
    button.click()
    panel = squat.locator(".exercise-history")
    panel.wait_for()
    assert button.get_attribute("aria-expanded") == "true"
    assert button.get_attribute("aria-controls") == panel.get_attribute("id")
    # 35 kg = 77.16 lb, 30 kg = 66.14 lb, 400 kg = 881.8 lb; the volume column is whole pounds.
    assert _records(page) == {"e1rm_kg": "77.2 lb", "heaviest_kg": "66.1 lb", "most_reps": "12 reps",
                              "volume_kg": "882 lb"}
    assert page.locator(".exercise-history th").nth(4).inner_text() == "Volume (lb)"
    rows = _sessions(page)
    assert len(rows) == 10
    assert [row[1:] for row in rows[:2]] == [["2", "17", "5 × 66.1 lb", "728"], ["2", "18", "8 × 55.1 lb", "882"]]
    assert rows[-1][1:] == ["1", "10", "10 × 22 lb", "220"]
    assert "The latest 10 sessions." in panel.inner_text()
    me.shot("records-today-pounds-phone")
    panel.get_by_role("button", name="Show earlier sessions").click()
    page.wait_for_function("() => document.querySelectorAll('.exercise-history tbody tr').length === 12")
    assert "All 12 sessions." in panel.inner_text()
    assert panel.get_by_role("button", name="Show earlier sessions").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    button.click()
    assert squat.locator(".exercise-history").count() == 0
    assert button.get_attribute("aria-expanded") == "false"


def _meals(server: Server, owner: Api) -> dict[str, Any]:
    """A plan from 20 days ago (target 2,200 kcal; its meals add up to 950) and, on its last four days: nothing;
    1,000 kcal (45%); 1,100 + 700 kcal (82%, on target); 2,640 kcal today (120%, over); and 2,000 kcal (91%) on its
    first day."""
    trainer_email, trainer = spa._trainer(server, owner)
    client_email, client = register_by_invite(server, trainer, "client", "Cleo Client")
    plan = trainer.call("POST", "/api/meal-plans", 201, json={
        "client_id": client.user["id"], "title": "Lean month", "start_date": _day(-20),
        "targets": {"kcal": 2200, "protein_g": 150, "carbs_g": 220, "fat_g": 70},
        "meals": [{"name": "Breakfast", "position": 1, "items": [
            {"food": "Oats", "quantity_g": 80, "kcal": 300, "protein_g": 10, "carbs_g": 54, "fat_g": 6}]},
            {"name": "Lunch", "position": 2, "items": [
                {"food": "Chicken and rice", "quantity_g": 400, "kcal": 650, "protein_g": 50, "carbs_g": 80,
                 "fat_g": 12}]}]})
    for offset, name, kcal, protein in ((-2, "Lunch", 1000, 40), (-1, "Breakfast", 1100, 60), (-1, "Lunch", 700, 45),
                                        (0, "Lunch", 2640, 150), (-20, "Lunch", 2000, 100)):
        client.call("POST", f"/api/meal-plans/{plan['id']}/entries", 201, json={
            "date": _day(offset), "meal_name": name, "kcal": kcal, "protein_g": protein})
    return {"client_email": client_email, "client": client, "plan": plan}


def _cells(page: Any) -> Any:
    return page.locator(".adherence-days button.day")


@browser_only
def test_spa_client_sees_the_plans_adherence_day_by_day(server: Server, owner: Api, people: Any) -> None:
    scene = _meals(server, owner)
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    page.get_by_role("link", name="Meals").click()
    page.locator(".adherence-days").wait_for()
    # The latest fourteen days, today last.
    days = [c.get_attribute("data-day") for c in _cells(page).all()]
    assert days == [_day(n) for n in range(-13, 1)]
    cells = _cells(page).all()[-4:]
    assert [c.get_attribute("data-state") for c in cells] == ["none", "short", "done", "over"]
    assert [c.locator(".day-percent").inner_text() for c in cells] == ["–", "45%", "82%", "120%"]
    labels = [c.get_attribute("aria-label") for c in cells]
    assert labels[0].endswith(": nothing logged")
    assert labels[1].endswith(": 1,000 of 2,200 kcal, 45%, from 1 meal")
    assert labels[2].endswith(": 1,800 of 2,200 kcal, 82%, from 2 meals")
    assert labels[3].endswith(": 2,640 of 2,200 kcal, 120%, from 1 meal")
    assert "On target on 1 of 14 days." in page.locator(".adherence").inner_text()
    assert "daily target of 2,200 kcal" in page.locator(".adherence").inner_text()
    assert page.get_by_role("button", name="Later days").is_disabled()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    me.shot("records-adherence-phone")

    # Tapping a day shows the numbers behind it: planned and target, then what was eaten (and its share).
    cells[2].click()
    table = page.locator("table.adherence-table")
    table.wait_for()
    day = table.locator(f"tr[data-day='{_day(-1)}']")
    assert "picked" in (day.get_attribute("class") or "")
    assert page.evaluate("document.activeElement.closest('tr')?.dataset.day") == _day(-1)
    macro = lambda row, key: row.locator(f"td[data-macro='{key}']").inner_text()  # noqa: E731
    planned, target = table.locator("tr.reference").all()
    assert (macro(planned, "kcal"), macro(planned, "protein_g"), macro(target, "kcal")) == ("950", "60", "2200")
    assert day.locator("td").first.inner_text() == "2"
    assert (macro(day, "kcal"), macro(day, "protein_g"), macro(day, "fat_g")) == ("1800 (82%)", "105 (70%)", "0 (0%)")

    # The plan's first week, then back.
    page.get_by_role("button", name="Earlier days").click()
    page.wait_for_function(f"() => document.querySelector('.adherence-days button.day')?.dataset.day === '{_day(-20)}'")
    assert [c.get_attribute("data-day") for c in _cells(page).all()] == [_day(n) for n in range(-20, -13)]
    assert _cells(page).first.locator(".day-percent").inner_text() == "91%"
    assert page.get_by_role("button", name="Earlier days").is_disabled()
    page.get_by_role("button", name="Later days").click()
    page.wait_for_function(f"() => document.querySelector('.adherence-days button.day')?.dataset.day === '{_day(-13)}'")

    # A meal logged now moves today's cell at once.
    page.get_by_label("What did you eat?").fill("Fruit")
    page.get_by_text("Add numbers (optional)").click()
    page.get_by_role("spinbutton", name="kcal").fill("110")
    page.get_by_role("button", name="Log this meal").click()
    page.wait_for_selector(f".adherence-days button[data-day='{_day(0)}'] .day-percent:has-text('125%')")


@browser_only
def test_spa_records_and_adherence_in_hebrew_right_to_left(server: Server, owner: Api, people: Any) -> None:
    scene = _squats(server, owner)
    client: Api = scene["client"]
    client.call("POST", f"/api/meal-plans/{scene['plan']['id']}/entries", 201, json={
        "date": _day(-1), "meal_name": "Lunch", "kcal": 2000})
    client.call("PUT", f"/api/users/{client.user['id']}", json={"language": "he"})
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    page.wait_for_function("() => document.documentElement.dir === 'rtl'")
    page.goto(server.url + "/history")
    page.wait_for_selector("h2:has-text('השיאים שלך לפי תרגיל')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.get_by_role("group", name="תרגילים").get_by_role("button", name="Goblet squat").click()
    page.wait_for_selector(".exercise-history h3:has-text('Goblet squat: שיאים ואימונים')")
    assert _records(page)["most_reps"] == "12 חזרות"
    assert page.locator(".exercise-history th").all_inner_texts()[:4] == ["תאריך", "סטים", "חזרות",
                                                                          "הסט הטוב ביותר"]
    assert "שני אימונים בסך הכול." in page.locator(".exercise-history").inner_text()
    me.shot("records-history-hebrew")
    page.goto(server.url + "/meals")
    yesterday = page.locator(f".adherence-days button[data-day='{_day(-1)}']")
    yesterday.wait_for()
    assert yesterday.get_attribute("aria-label").endswith(": 2,000 מתוך 2,200 kcal, 91%, מארוחה אחת")
    assert "ביעד ביום אחד מתוך 2." in page.locator(".adherence").inner_text()
    me.shot("records-adherence-hebrew")


@browser_only
def test_spa_trainer_sees_a_clients_records_and_adherence_on_the_client_page(server: Server, owner: Api,
                                                                             people: Any) -> None:
    scene = _squats(server, owner)
    client = scene["client"]
    client.call("POST", f"/api/meal-plans/{scene['plan']['id']}/entries", 201, json={  # the plan of 2,200 kcal
        "date": _day(0), "meal_name": "Lunch", "kcal": 1100})
    coach = people(spa.DESK)
    page = coach.sign_in(scene["trainer_email"])
    coach.go(f"/clients/{client.user['id']}")
    records = page.locator("section", has=page.get_by_role("heading", name="Records by exercise"))
    records.get_by_role("button", name="Goblet squat").click()
    page.wait_for_selector(".exercise-history h3:has-text('Goblet squat: records and sessions')")
    assert _records(page) == {"e1rm_kg": "35 kg", "heaviest_kg": "30 kg", "most_reps": "12 reps",
                              "volume_kg": "400 kg"}
    # The plan's days from its start (yesterday): today 1,100 of 2,200 kcal.
    today = page.locator(f".adherence-days button.day[data-day='{_day(0)}']")
    assert today.locator(".day-percent").inner_text() == "50%"
    assert today.get_attribute("aria-label").endswith(": 1,100 of 2,200 kcal, 50%, from 1 meal")
    coach.shot("records-trainer-client-page")

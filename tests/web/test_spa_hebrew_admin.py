"""The browser app in Hebrew, right-to-left: the owner's Users, Trainers and System pages (and back to English with the
header's Language select), a client's check-in and habits on their phone, a trainer's check-in review of one client,
and the comments under a logged workout.

Each person signs in on a device that has chosen no language; their own choice (the header's select, or `language`
set on their User through the API) turns the page Hebrew. Every test fails on a console error, which a key missing
from the Hebrew catalogue logs (tests/web/test_spa.py's Person), an uncaught exception or a CSP violation.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

from elior import clock
from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import PHONE, _scene, a_minute_ago, browser_only

# test_spa's fixtures (a chromium, a real server per test, its owner, people in browser contexts), shared by name.
browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

HEBREW = re.compile(r"[\u05d0-\u05ea]")


def _days_ago(n: int) -> str:
    """A day as the API counts days (UTC, clock.today()), n days back."""
    return (clock.today() - dt.timedelta(days=n)).isoformat()


def _speaks_hebrew(api: Api) -> None:
    """The person's own language, saved on their User: the app adopts it as they sign in."""
    api.call("PUT", f"/api/users/{api.user['id']}", json={"language": "he"})


def _right_to_left(page: Any) -> None:
    page.wait_for_function("() => document.documentElement.dir === 'rtl' && document.documentElement.lang === 'he'")


def _heading(page: Any, text: str) -> None:
    page.locator("main h1", has_text=text).wait_for()


def _open(page: Any, path: str) -> None:
    """Follow the header's link to `path` (found by its address: its text is in the page's language)."""
    page.locator(f"nav.nav a[href='{path}']").click()
    page.wait_for_url(f"**{path}")


@browser_only
def test_spa_owner_pages_in_hebrew_then_back_to_english(server: Server, owner: Api, people: Any) -> None:
    _, rita = register_by_invite(server, owner, "trainer", "Rita Trainer")
    sam = owner.call("POST", "/api/users", 201, json={"email": "sam@studio.test", "password": PASSWORD,
                                                      "full_name": "Sam Client", "role": "client"})
    owner.call("POST", "/api/users", 201, json={"email": "noa@studio.test", "password": PASSWORD,
                                                "full_name": "Noa Client", "role": "client"})
    me = people()
    page = me.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    _heading(page, "Users and roles")
    page.locator("header.top select.language-switch").select_option("he")
    _right_to_left(page)

    # Users and roles: every row's controls in Hebrew, the reset link among them; saving says so in Hebrew.
    _heading(page, "משתמשים ותפקידים")
    main = page.locator("main")
    assert "Users and roles" not in main.inner_text()
    row = page.locator(f"form[data-user='{sam['id']}']")
    assert row.get_attribute("aria-label") == "החשבון של Sam Client"
    assert row.get_by_label("תפקיד").locator("option:checked").inner_text() == "לקוח/ה"
    assert row.get_by_label("מאמן/ת").locator("option:checked").inner_text() == "ללא מאמן/ת"
    reset = row.get_by_role("link", name="קישור לאיפוס סיסמה")
    assert reset.get_attribute("href") == f"/people/{sam['id']}/password-reset"
    row.get_by_label("מאמן/ת").select_option(label="Rita Trainer")
    row.get_by_role("button", name="שמירה").click()
    page.get_by_text("הפרטים של Sam Client נשמרו.").wait_for()
    assert owner.call("GET", f"/api/users/{sam['id']}")["trainer_id"] == rita.user["id"]
    remove = row.get_by_role("button", name="מחיקת Sam Client")
    remove.click()  # the first press only asks (a second within 5 s would delete)
    assert remove.inner_text() == "לחצו שוב כדי למחוק"
    assert re.search(r"1-4 מתוך 4", main.inner_text())
    page.get_by_role("heading", name="יצירת חשבון ישירות").wait_for()
    me.shot("hebrew-owner-users")

    # Trainers and their clients: the one without a trainer is pointed to the Users page, in one sentence.
    _open(page, "/admin/trainers")
    _heading(page, "המאמנים והלקוחות שלהם")
    page.locator("section", has_text="Rita Trainer (1)").get_by_role("link", name="Sam Client").wait_for()
    alone = page.locator("section", has_text="ללא מאמן/ת (1)")
    assert "Noa Client" in alone.inner_text()
    assert alone.locator("p.small").inner_text() == "אפשר לשייך מאמן/ת בעמוד המשתמשים."
    assert alone.get_by_role("link", name="המשתמשים").get_attribute("href") == "/admin/users"

    # The system: health, metrics and the log, each request's line in Hebrew.
    _open(page, "/admin/system")
    _heading(page, "מערכת")
    for title in ("תקינות", "מדדים", "יומנים אחרונים"):
        page.get_by_role("heading", name=title, exact=True).wait_for()
    page.get_by_text("זמני תגובה לפי נתיב").wait_for()
    page.locator("td", has_text=re.compile(r"POST /api/auth/login: \d+ תוך")).first.wait_for()
    assert {"זמן פעילות", "בקשות", "כניסות שנכשלו"} <= set(page.locator("dl.tree dt").all_inner_texts())
    assert page.get_by_role("button", name="רענון").is_visible()
    me.shot("hebrew-owner-system")

    # Back to English with the header's select: the same page, left-to-right, its English heading again.
    page.locator("header.top select.language-switch").select_option("en")
    page.wait_for_function("() => document.documentElement.dir === 'ltr'")
    _heading(page, "System")
    page.get_by_text("Latency by route").wait_for()
    page.locator("td", has_text=re.compile(r"POST /api/auth/login → \d+ in")).first.wait_for()
    assert not HEBREW.search(page.locator("main").inner_text())
    assert owner.call("GET", "/api/auth/me")["language"] == "en"


QUESTIONS = [{"kind": "scale", "prompt": "Energy this week"},
             {"kind": "yes_no", "prompt": "Did you sleep 7 hours most nights?"},
             {"kind": "number", "prompt": "Body weight", "unit": "kg"}]


@browser_only
def test_spa_client_check_in_and_habits_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner)
    coach, client_api = scene["trainer"], scene["client"]
    client_id = client_api.user["id"]
    template = coach.call("POST", "/api/check-in-templates", 201, json={"title": "Sunday check-in",
                                                                         "questions": QUESTIONS})
    coach.call("PUT", f"/api/check-ins/schedules/{client_id}", json={  # due today, this week's not answered yet
        "template_id": template["id"], "cadence": "weekly", "weekday": clock.today().weekday(),
        "start_date": _days_ago(28)})
    steps = coach.call("POST", "/api/habits", 201, json={"client_id": client_id, "title": "Walk 8,000 steps",
                                                         "target_value": 8000, "target_unit": "steps",
                                                         "start_date": _days_ago(6)})
    for back in (2, 1):
        client_api.call("PUT", f"/api/habits/{steps['id']}/ticks/{_days_ago(back)}", json={"value": 9000})
    _speaks_hebrew(client_api)
    phone = people(PHONE)
    page = phone.sign_in(scene["client_email"])
    _right_to_left(page)

    # Today: the check-in card, then the habit with its two-day run (Hebrew's dual form) and its strip of days.
    card = page.locator("section.checkin-due")
    card.get_by_role("heading", name="הגיע הזמן לצ׳ק-אין").wait_for()
    assert card.get_attribute("aria-label") == "צ׳ק-אין"
    page.get_by_role("heading", name="ההרגלים שלך").wait_for()
    row = page.locator(f"li.habit[data-habit='{steps['id']}']")
    row.get_by_text("יומיים ברצף").wait_for()
    assert re.search(r"השבוע: 2 מתוך \d+ · \d+%", row.inner_text())
    names = row.locator(".week-strip .day-name").all_inner_texts()
    assert len(names) == 7 and set(names) <= {"א׳", "ב׳", "ג׳", "ד׳", "ה׳", "ו׳", "ש׳"}
    today = row.locator(f"button[data-day='{_days_ago(0)}']")
    assert re.fullmatch(r"(יום [א-ו]׳|שבת) \d\d, היום: לא בוצע", today.get_attribute("aria-label") or "")
    assert row.get_attribute("class") == "habit"
    row.get_by_label("היום (steps)").fill("8500")
    row.get_by_role("checkbox").check()
    row.get_by_text("3 ימים ברצף").wait_for()
    assert row.locator(f"button[data-day='{_days_ago(0)}']").get_attribute("aria-label", timeout=5000).endswith(
        "היום: בוצע")
    phone.shot("hebrew-client-habits")

    # The check-in form: nothing answered is refused in Hebrew, then it is sent and waits for the trainer's reply.
    card.get_by_role("link", name="מלאו את הצ׳ק-אין").click()
    _heading(page, "צ׳ק-אין")
    page.get_by_role("heading", name="התקופה הנוכחית").wait_for()
    page.get_by_role("heading", name="הצ׳ק-אינים שלך").wait_for()
    form = page.locator("form.checkin-form")
    form.get_by_role("button", name="שליחת הצ׳ק-אין").click()
    form.get_by_role("alert").get_by_text("ענו על שאלה אחת לפחות לפני השליחה.").wait_for()
    form.locator(".question[data-kind='scale'] label", has_text=re.compile(r"^8$")).click()
    form.locator(".question[data-kind='yes_no'] label", has_text="כן").click()
    assert form.locator(".question[data-kind='yes_no'] label").all_inner_texts() == ["כן", "לא"]
    form.get_by_role("button", name="שליחת הצ׳ק-אין").click()
    page.get_by_text("תשובת המאמן/ת תופיע כאן למטה.").wait_for()
    sent = page.locator("li.checkin").first
    assert "ממתין לתשובת המאמן/ת." in sent.inner_text() and "8/10" in sent.inner_text()
    assert sent.locator("dd").all_inner_texts() == ["8/10", "כן"]  # the unanswered weight is left out
    assert page.locator("form.checkin-form").count() == 0
    phone.shot("hebrew-client-check-in")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@browser_only
def test_spa_trainer_check_in_review_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner)
    coach, client_api = scene["trainer"], scene["client"]
    client_id = client_api.user["id"]
    template = coach.call("POST", "/api/check-in-templates", 201, json={"title": "Sunday check-in",
                                                                         "questions": QUESTIONS})
    coach.call("PUT", f"/api/check-ins/schedules/{client_id}", json={  # a period under way since a week ago
        "template_id": template["id"], "cadence": "every_n_days", "every_days": 8, "start_date": _days_ago(7)})
    ids = [q["id"] for q in template["questions"]]
    client_api.call("POST", "/api/check-ins", 201, json={"answers": [
        {"question_id": ids[0], "value": 7}, {"question_id": ids[1], "value": False},
        {"question_id": ids[2], "value": 81.5}]})
    _speaks_hebrew(coach)
    desk = people()
    page = desk.sign_in(scene["trainer_email"])
    _right_to_left(page)

    # The overview: the answered check-in waits for a reply.
    _open(page, "/check-ins")
    _heading(page, "צ׳ק-אינים")
    page.get_by_text("הצ׳ק-אינים של הלקוחות שלך, קודם אלה שממתינים לתשובה שלך.").wait_for()
    assert page.locator("table.clients thead th").all_inner_texts() == ["לקוח/ה", "צ׳ק-אין", "נענה לאחרונה"]
    line = page.locator(f"tr[data-client='{client_id}']")
    line.get_by_text("נענה: ממתין לתשובה").wait_for()
    line.get_by_role("link", name="Cleo Client").click()

    # The review: state, schedule in words, the answers, a reply sent; the habits below it.
    _heading(page, "צ׳ק-אינים: Cleo Client")
    for title in ("לוח הצ׳ק-אינים", "התשובות לאורך זמן", "הרגלים", "הוספת הרגל"):
        page.get_by_role("heading", name=title, exact=True).wait_for()
    assert page.locator(".flag", has_text="נענה").first.is_visible()
    assert "Sunday check-in, כל 8 ימים, החל מיום " in page.locator(".setup").inner_text()
    item = page.locator("li.checkin").first
    assert item.locator("dd").all_inner_texts() == ["7/10", "לא", "81.5 kg"]
    assert re.match(r"נשלח \S", item.locator("p.small.muted").first.inner_text())
    item.get_by_label("תשובה ל־Cleo").fill("שבוע מצוין, קליאו.")
    item.get_by_role("button", name="שליחת תשובה").click()
    page.get_by_text("התשובה נשלחה ל־Cleo.").wait_for()
    page.locator("li.checkin").first.locator("summary", has_text="שינוי התשובה").wait_for()
    assert coach.call("GET", "/api/check-ins", params={"client_id": client_id})["items"][0]["reply"] == \
        "שבוע מצוין, קליאו."

    # The setup forms: the kinds of questions and the weekdays in Hebrew.
    page.locator(".setup summary", has_text="שינוי הלוח או השאלות").click()
    schedule = page.locator("form.schedule-form")
    assert schedule.get_attribute("aria-label") == "לוח הצ׳ק-אינים"
    schedule.get_by_label("באיזו תדירות").select_option("weekly")
    assert schedule.get_by_label("מועד ההגשה").locator("option").all_inner_texts()[:2] == ["יום שני", "יום שלישי"]
    made = page.locator("form.template-form")
    assert made.locator("fieldset.question-row legend").inner_text() == "שאלה 1"
    assert made.get_by_label("סוג").locator("option").all_inner_texts() == [
        "סולם 1-10", "מספר עם יחידה", "טקסט", "כן / לא", "תמונה"]

    # A habit given through the form, described in Hebrew in the list.
    habit = page.locator("form.habit-form")
    habit.get_by_label(re.compile(r"^הרגל( \*)?$")).fill("Stretch")
    habit.get_by_label("באיזו תדירות").select_option("weekly")
    habit.get_by_label("ימים בשבוע").fill("3")
    habit.get_by_role("button", name="הוספת ההרגל").click()
    page.get_by_text("ההרגל \"Stretch\" נוסף.").wait_for()
    given = page.locator("ul.coach-habits li", has_text="Stretch")
    given.get_by_text(re.compile(r"^3 ימים בשבוע · השבוע 0 מתוך 3 \(0%\) · 0 ")).wait_for()
    assert given.get_by_role("button", name="העברה לארכיון").is_visible()
    desk.shot("hebrew-trainer-check-in-review")


@browser_only
def test_spa_workout_comments_in_hebrew(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner)
    workout, client_api = scene["workout"], scene["client"]
    client_api.call("POST", f"/api/workouts/{workout['id']}/log", 201, json={
        "performed_at": a_minute_ago(), "duration_minutes": 40,
        "sets": [{"exercise_id": scene["squat"]["id"], "set_number": 1, "reps": 10, "weight_kg": 20}]})
    scene["trainer"].call("POST", f"/api/workouts/{workout['id']}/comments", 201, json={"body": "עומק יפה בסקוואט."})
    _speaks_hebrew(client_api)
    phone = people(PHONE)
    page = phone.sign_in(scene["client_email"])
    _right_to_left(page)
    _open(page, "/history")
    page.locator(f"li.workout[data-workout='{workout['id']}'] button").first.click()  # its only button: the log

    comments = page.locator(".comments")
    comments.get_by_role("heading", name="תגובות").wait_for()
    theirs = comments.locator("li.comment", has_text="עומק יפה בסקוואט.")
    assert "Tess Trainer" in theirs.inner_text()
    assert HEBREW.search(theirs.locator("time").inner_text())  # the month's name in Hebrew: he-IL's format
    comments.get_by_label("תשובה למאמן/ת").fill("תודה!")
    comments.get_by_role("button", name="פרסום תגובה").click()
    mine = comments.locator("li.comment.mine", has_text="תודה!")
    mine.get_by_text("את/ה", exact=True).wait_for()
    mine.get_by_role("button", name="מחיקה").click()  # the first press only asks
    mine.get_by_role("button", name="בטוח למחוק?").wait_for()

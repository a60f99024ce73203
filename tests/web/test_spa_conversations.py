"""Conversations in the browser app (issue 16): a trainer and a client talk live in two browsers (a photo, read
ticks, unread badges), comment on a logged workout, fill and answer a weekly check-in, and tick a habit for a week.

Each person is a browser context of their own (Debian's chromium) against a real `python -m elior serve`; the scenes
around them (the other side's setting up) go through the real API. Every test fails on a console error, an uncaught
exception or a CSP violation (tests/web/test_spa.py's Person). Screenshots land in tests/screenshots/.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

import pytest
from websockets.sync.client import connect

from elior import clock
from tests.spa_support import ADMIN_EMAIL, ADMIN_PASSWORD, PASSWORD, Api, Server, photo_jpeg
from tests.web import test_spa as spa
from tests.web.test_spa import PHONE, _scene, a_minute_ago, browser_only

# test_spa's fixtures (a chromium, a real server per test, its owner, people in browser contexts), shared by name.
browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

LINK_TEXT = "See https://example.com/<b>plan</b> for the week"


def _days_ago(n: int) -> str:
    """A day as the API counts days (UTC, clock.today()), n days back."""
    return (clock.today() - dt.timedelta(days=n)).isoformat()


def _shot(person: Any, name: str, full_page: bool = True) -> None:
    """A screenshot from the top of the page, without the toasts of the moment over it."""
    person.page.evaluate("window.scrollTo(0, 0); document.getElementById('toasts')?.replaceChildren()")
    person.shot(name, full_page=full_page)


def _open_thread_list(page: Any) -> None:
    page.locator("nav.nav").get_by_role("link", name="Messages", exact=True).click()
    page.wait_for_selector("main .messages-page, main .messenger")  # a client has one thread: it opens at once


@browser_only
def test_spa_trainer_and_client_talk_live_with_a_photo_and_read_ticks(server: Server, owner: Api,
                                                                      people: Any) -> None:
    scene = _scene(server, owner)
    client_id = scene["client"].user["id"]
    desk, phone = people(), people(PHONE)
    trainer = desk.sign_in(scene["trainer_email"])
    client = phone.sign_in(scene["client_email"])
    _open_thread_list(trainer)
    row = trainer.locator(f"li[data-thread='{client_id}']")
    assert "No messages yet" in row.inner_text()

    # The client writes first, on their phone; the trainer's list shows it unread without a reload.
    _open_thread_list(client)
    client.wait_for_selector("text=No messages yet. Say hello!")
    client.get_by_label("Message", exact=True).fill(f"Hi Tess! Is 8 am OK tomorrow? {LINK_TEXT}")
    client.get_by_role("button", name="Send").click()
    client.wait_for_selector("li.msg.mine[data-read='false'] .body:has-text('Hi Tess')")
    row.locator(".unread-badge", has_text="1").wait_for()
    assert "Hi Tess! Is 8 am OK tomorrow?" in row.inner_text()
    _shot(desk, "messages-threads")

    # The trainer opens the thread: the link in it is text, and the client's tick turns to "read" live.
    row.get_by_role("link").click()
    trainer.wait_for_url(f"**/messages/{client_id}")
    theirs = trainer.locator("li.msg.theirs .body").first
    theirs.wait_for()
    assert LINK_TEXT in theirs.inner_text()
    assert trainer.locator(".thread-log a, .thread-log b").count() == 0
    client.wait_for_selector("li.msg.mine[data-read='true']")
    assert client.locator("li.msg.mine .tick.read").inner_text().endswith("Read")

    # The trainer answers with a photo; it appears in the client's thread live, image and all.
    trainer.get_by_label("Attach a photo or PDF").set_input_files(files=[{
        "name": "squat.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(trainer, "Squat form", "#2f6f4f")}])
    assert trainer.locator(".chosen li", has_text="squat.jpg").is_visible()
    trainer.get_by_label("Message", exact=True).fill("8 am is great. Copy this squat form:")
    trainer.get_by_role("button", name="Send").click()
    trainer.wait_for_selector("li.msg.mine .attachment-photo img")
    client.wait_for_function("() => [...document.querySelectorAll('li.msg.theirs .attachment-photo img')]"
                             ".some((img) => img.naturalWidth > 0)")
    assert "Copy this squat form" in client.locator("li.msg.theirs").last.inner_text()
    trainer.wait_for_selector("li.msg.mine:has(.attachment-photo)[data-read='true']")

    # The client replies with a photo of their own and then corrects the text; the trainer sees both live.
    client.get_by_label("Attach a photo or PDF").set_input_files(files=[{
        "name": "me.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(client, "My squat", "#7a3b12")}])
    client.get_by_label("Message", exact=True).fill("Like this? Tmorrow then!")
    client.get_by_label("Message", exact=True).press("Control+Enter")
    mine = client.locator("li.msg.mine").last
    mine.locator(".attachment-photo img").wait_for()
    trainer.wait_for_function("() => [...document.querySelectorAll('li.msg.theirs .attachment-photo img')]"
                              ".some((img) => img.naturalWidth > 0)")
    mine.get_by_role("button", name="Edit").click()
    client.get_by_label("Edit your message").fill("Like this? Tomorrow then!")
    client.get_by_role("button", name="Save").click()
    client.wait_for_selector("li.msg.mine .meta:has-text('edited')")
    trainer.wait_for_selector("li.msg.theirs:has-text('Like this? Tomorrow then!') .meta:has-text('edited')")
    client.wait_for_selector("li.msg.mine:has(.attachment-photo)[data-read='true']")
    client.wait_for_function("() => [...document.querySelectorAll('.attachment-photo img')]"
                             ".every((img) => img.naturalWidth > 0)")
    # The trainer's list beside the thread follows too: the newest message, nothing unread.
    trainer.locator("aside .thread-preview", has_text="Like this? Tomorrow then!").wait_for()
    assert trainer.locator("aside .unread-badge").count() == 0
    _shot(desk, "messages-thread-desktop")
    _shot(phone, "messages-thread-phone", full_page=False)
    assert client.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # What the two saw is what the API holds: three messages in order, each photo an upload of its sender.
    thread = scene["trainer"].call("GET", f"/api/conversations/{client_id}/messages")
    oldest_first = list(reversed(thread["items"]))
    assert [m["body"] for m in oldest_first] == [f"Hi Tess! Is 8 am OK tomorrow? {LINK_TEXT}",
                                                "8 am is great. Copy this squat form:", "Like this? Tomorrow then!"]
    assert [len(m["attachments"]) for m in oldest_first] == [0, 1, 1]
    assert oldest_first[2]["edited_at"] is not None
    assert {r["user_id"]: r["last_read_id"] for r in thread["reads"]} == {
        client_id: oldest_first[2]["id"], scene["trainer"].user["id"]: oldest_first[2]["id"]}
    assert scene["trainer"].call("GET", "/api/conversations")["items"][0]["unread"] == 0


@browser_only
def test_spa_a_long_thread_pages_back_deletes_in_two_steps_and_admins_only_read(server: Server, owner: Api,
                                                                                 people: Any) -> None:
    scene = _scene(server, owner)
    client_id = scene["client"].user["id"]
    for n in range(1, 61):
        sender = scene["client"] if n % 2 else scene["trainer"]
        sender.call("POST", f"/api/conversations/{client_id}/messages", 201, json={"body": f"Message {n}"})
    desk = people()
    trainer = desk.sign_in(scene["trainer_email"])
    trainer.goto(f"{server.url}/messages/{client_id}")
    trainer.locator("li.msg .body", has_text=re.compile(r"^Message 60$")).wait_for()
    assert trainer.locator("li.msg").count() == 50  # the newest page
    trainer.get_by_role("button", name="Show older messages").click()
    trainer.locator("li.msg .body", has_text=re.compile(r"^Message 1$")).wait_for()
    assert trainer.locator("li.msg").count() == 60
    assert trainer.get_by_role("button", name="Show older messages").is_hidden()
    # Deleting one's own message asks once more on the page itself (a dialog would fail the test), then it goes.
    newest = trainer.locator("li.msg.mine").filter(has=trainer.locator(".body", has_text=re.compile(r"^Message 60$")))
    newest.get_by_role("button", name="Delete").click()
    newest.get_by_role("button", name="Really delete?").click()
    trainer.locator("li.msg.mine .deleted", has_text="Message deleted").wait_for()
    assert scene["client"].call("GET", f"/api/conversations/{client_id}/messages",
                                params={"limit": 1})["items"][0]["deleted_at"] is not None

    # An admin reads the thread for support: no box to write in.
    admin = people()
    page = admin.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page.goto(f"{server.url}/messages/{client_id}")
    page.get_by_text("You are reading this conversation for support").wait_for()
    assert page.locator("form.compose").count() == 0 and page.locator("li.msg").count() == 50


@browser_only
def test_spa_comments_under_a_logged_workout_reach_the_client_live(server: Server, owner: Api,
                                                                   people: Any) -> None:
    scene = _scene(server, owner)
    workout, client_id = scene["workout"], scene["client"].user["id"]
    scene["client"].call("POST", f"/api/workouts/{workout['id']}/log", 201, json={
        "performed_at": a_minute_ago(), "duration_minutes": 40,
        "sets": [{"exercise_id": scene["squat"]["id"], "set_number": 1, "reps": 10, "weight_kg": 20}]})
    desk, phone = people(), people(PHONE)
    client = phone.sign_in(scene["client_email"])
    client.locator("nav.nav").get_by_role("link", name="History").click()
    client.locator(f"li.workout[data-workout='{workout['id']}']").get_by_role("button", name="Show log").click()
    client.wait_for_selector(".comments:has-text('No comments yet.')")

    trainer = desk.sign_in(scene["trainer_email"])
    trainer.goto(f"{server.url}/clients/{client_id}")
    trainer.locator(f"li.workout[data-workout='{workout['id']}']").get_by_role("button", name="Show log").click()
    trainer.get_by_label("Feedback on this workout").fill("Great depth on the squats. <i>Add 2 kg</i> next time.")
    with trainer.expect_response(lambda r: r.url.endswith("/comments") and r.request.method == "POST") as answer:
        trainer.get_by_role("button", name="Post comment").click()
    assert answer.value.status == 201

    # The client, whose log box is open, sees it arrive; the markup in it stays text.
    comment = client.locator("li.comment", has_text="Great depth on the squats.")
    comment.wait_for()
    assert "<i>Add 2 kg</i>" in comment.inner_text() and client.locator(".comments i").count() == 0
    client.get_by_label("Reply to your trainer").fill("Thanks! Will do.")
    client.get_by_role("button", name="Post comment").click()
    client.locator("li.comment.mine", has_text="Thanks! Will do.").wait_for()
    _shot(phone, "workout-comments-phone")
    comments = scene["trainer"].call("GET", f"/api/workouts/{workout['id']}/comments")["items"]
    assert [(c["author_id"], c["body"]) for c in comments] == [
        (scene["trainer"].user["id"], "Great depth on the squats. <i>Add 2 kg</i> next time."),
        (client_id, "Thanks! Will do.")]


QUESTIONS = [{"kind": "scale", "prompt": "Energy this week"}, {"kind": "number", "prompt": "Body weight", "unit": "kg"},
             {"kind": "text", "prompt": "Your win of the week"},
             {"kind": "yes_no", "prompt": "Did you sleep 7 hours most nights?"},
             {"kind": "photo", "prompt": "A photo from the side"}]


def _past_check_ins(trainer: Api, client: Api, template: dict[str, Any]) -> None:
    """Three earlier weeks answered through the API: the schedule is set so that the period under way began 21,
    14 and 7 days ago in turn (every N+1 days from N days ago), each answered in its turn."""
    client_id = client.user["id"]
    ids = [q["id"] for q in template["questions"]]
    for back, energy, weight in ((21, 5, 82.4), (14, 6, 81.6), (7, 7, 81.1)):
        trainer.call("PUT", f"/api/check-ins/schedules/{client_id}", json={
            "template_id": template["id"], "cadence": "every_n_days", "every_days": back + 1,
            "start_date": _days_ago(back)})
        client.call("POST", "/api/check-ins", 201, json={"answers": [
            {"question_id": ids[0], "value": energy}, {"question_id": ids[1], "value": weight},
            {"question_id": ids[2], "value": f"Week -{back // 7}: kept going"},
            {"question_id": ids[3], "value": True}]})


@browser_only
def test_spa_client_fills_a_weekly_check_in_and_the_trainer_replies_live(server: Server, owner: Api,
                                                                         people: Any) -> None:
    scene = _scene(server, owner)
    coach, client_api = scene["trainer"], scene["client"]
    client_id = client_api.user["id"]
    template = coach.call("POST", "/api/check-in-templates", 201, json={"title": "Sunday check-in",
                                                                         "questions": QUESTIONS})
    _past_check_ins(coach, client_api, template)
    desk, phone = people(), people(PHONE)

    # The trainer's overview (last week's answers wait for a reply), then the review: three weeks charted.
    trainer = desk.sign_in(scene["trainer_email"])
    trainer.locator("nav.nav").get_by_role("link", name="Check-ins").click()
    trainer.locator(f"tr[data-client='{client_id}']").get_by_text("Answered: reply").wait_for()
    trainer.locator(f"tr[data-client='{client_id}']").get_by_role("link", name="Cleo Client").click()
    trainer.wait_for_selector("h1:has-text('Check-ins: Cleo Client')")
    assert trainer.locator("figure[data-measure='Energy this week'] circle").count() == 3
    assert trainer.locator("li.checkin").count() == 3

    # Through the setup forms: a second template made, then the client moved to weekly check-ins due today.
    trainer.get_by_text("Change the schedule or the questions").click()
    made = trainer.locator("form.template-form")
    made.get_by_label("Template title").fill("Quick pulse")
    made.locator("[name='questions.0.prompt']").fill("Mood today")  # rows are named in their order
    made.get_by_role("button", name="Add a question").click()
    second = made.locator("fieldset.question-row").nth(1)
    second.get_by_label("Kind").select_option("number")
    second.locator("[name='questions.1.prompt']").fill("Steps yesterday")
    second.get_by_label("Unit (numbers)").fill("steps")
    made.get_by_role("button", name="Save template").click()
    schedule = trainer.locator("form.schedule-form")
    schedule.get_by_label("Template").locator("option", has_text="Quick pulse").wait_for(state="attached")
    schedule.get_by_label("Template").select_option(label="Sunday check-in")
    schedule.get_by_label("How often").select_option("weekly")
    schedule.get_by_label("Due on").select_option(str(clock.today().weekday()))
    schedule.get_by_label("Starting").fill(_days_ago(28))
    schedule.get_by_role("button", name="Change the schedule").click()
    trainer.locator(".flag", has_text="Due since").wait_for()
    pulse = [t for t in coach.call("GET", "/api/check-in-templates")["items"] if t["title"] == "Quick pulse"]
    assert [(q["kind"], q["prompt"], q["unit"]) for q in pulse[0]["questions"]] == [
        ("scale", "Mood today", None), ("number", "Steps yesterday", "steps")]
    now = coach.call("GET", f"/api/check-ins/schedules/{client_id}")
    assert (now["template_id"], now["cadence"], now["weekday"]) == (template["id"], "weekly", clock.today().weekday())

    # The client sees it due on Today and fills it in on their phone.
    client = phone.sign_in(scene["client_email"])
    client.get_by_role("link", name="Fill in your check-in").click()
    form = client.locator("form.checkin-form")
    form.locator(".question[data-kind='scale'] label", has_text=re.compile(r"^8$")).click()
    client.get_by_label("Body weight (kg)").fill("80.6")
    client.get_by_label("Your win of the week").fill("Squatted 30 kg for 10!")
    form.locator(".question[data-kind='yes_no'] label", has_text="Yes").click()
    client.get_by_label("A photo from the side").set_input_files(files=[{
        "name": "side.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(client, "Side", "#1f5f8b")}])
    _shot(phone, "check-in-form")
    client.get_by_role("button", name="Send my check-in").click()
    client.wait_for_selector("text=Your trainer's reply will appear below.")

    # It reaches the trainer's review live: a fourth point on each chart, its answers, its photo.
    trainer.locator("figure[data-measure='Energy this week'] circle").nth(3).wait_for()
    assert trainer.locator("figure[data-measure='Body weight'] circle").count() == 4
    newest = trainer.locator("li.checkin").first
    assert "Squatted 30 kg for 10!" in newest.inner_text() and "8 / 10" in newest.inner_text()
    trainer.wait_for_function("() => document.querySelector('li.checkin .answer-photo')?.naturalWidth > 0")
    newest.get_by_label("Reply to Cleo").fill("Brilliant week, Cleo. Same plan, +2.5 kg on squats.")
    newest.get_by_role("button", name="Send reply").click()
    trainer.locator("li.checkin").first.locator(".reply", has_text="Brilliant week").wait_for()
    _shot(desk, "check-in-review")

    # The reply reaches the client's page live.
    client.locator("li.checkin .reply", has_text="Brilliant week, Cleo.").wait_for()
    _shot(phone, "check-in-replied-phone")
    answered = client_api.call("GET", "/api/check-ins")
    assert answered["current"]["check_in_id"] == answered["items"][0]["id"]
    assert answered["items"][0]["reply"] == "Brilliant week, Cleo. Same plan, +2.5 kg on squats."
    assert {a["kind"]: a["value"] for a in answered["items"][0]["answers"] if a["kind"] != "photo"} == {
        "scale": 8, "number": 80.6, "text": "Squatted 30 kg for 10!", "yes_no": True}
    # A second answer for the same week is refused by the API (409), so the form is gone, not just hidden.
    client.reload()
    client.wait_for_selector("text=Your trainer's reply will appear below.")
    assert client.locator("form.checkin-form").count() == 0


@browser_only
def test_spa_client_ticks_a_habit_for_a_week_on_today(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner)
    coach, client_api = scene["trainer"], scene["client"]
    client_id = client_api.user["id"]
    steps = coach.call("POST", "/api/habits", 201, json={"client_id": client_id, "title": "Walk 8,000 steps",
                                                         "target_value": 8000, "target_unit": "steps",
                                                         "start_date": _days_ago(6)})
    water = coach.call("POST", "/api/habits", 201, json={"client_id": client_id, "title": "Drink 2 l of water",
                                                         "start_date": _days_ago(6)})
    for back in range(6, 1, -1):  # five earlier days through the API, the day before yesterday the last of them
        client_api.call("PUT", f"/api/habits/{steps['id']}/ticks/{_days_ago(back)}", json={"value": 9000 + back})
        client_api.call("PUT", f"/api/habits/{water['id']}/ticks/{_days_ago(back)}", json={})
    client_api.call("PUT", f"/api/habits/{steps['id']}/ticks/{_days_ago(1)}", json={"value": 8100})
    phone = people(PHONE)
    page = phone.sign_in(scene["client_email"])
    steps_row = page.locator(f"li.habit[data-habit='{steps['id']}']")
    water_row = page.locator(f"li.habit[data-habit='{water['id']}']")
    steps_row.get_by_text("6 days in a row").wait_for()
    water_row.get_by_text("0 days in a row").wait_for()  # yesterday was forgotten: the run is broken

    # Yesterday's water, forgotten, ticked on the strip of the last seven days: the run is whole again.
    water_row.locator(f"button[data-day='{_days_ago(1)}']").click()
    water_row.locator(f"button[data-day='{_days_ago(1)}'][aria-pressed='true']").wait_for()
    water_row.get_by_text("6 days in a row").wait_for()
    # Today: the steps with their number, then the water.
    steps_row.get_by_label("Today (steps)").fill("8500")
    steps_row.get_by_role("checkbox").check()
    steps_row.get_by_text("7 days in a row").wait_for()
    water_row.get_by_role("checkbox").check()
    water_row.get_by_text("7 days in a row").wait_for()
    assert steps_row.locator(".week-strip .day.done").count() == 7
    assert water_row.locator(".week-strip .day[aria-pressed='true']").count() == 7
    # Ticking again the same day only changes the value: still one tick for today.
    steps_row.get_by_label("Today (steps)").fill("9100")
    with page.expect_response(lambda r: "/ticks/" in r.url and r.request.method == "PUT") as answer:
        steps_row.get_by_label("Today (steps)").press("Tab")
    assert answer.value.status == 200
    steps_row.get_by_text("7 days in a row").wait_for()
    _shot(phone, "habits-on-today")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    history = client_api.call("GET", f"/api/habits/{steps['id']}/history", params={"weeks": 2})
    week = {t["day"][:10]: (t["value"], t["done"]) for t in history["ticks"] if t["day"][:10] >= _days_ago(6)}
    assert sorted(week) == [_days_ago(n) for n in range(6, -1, -1)]
    assert all(done for _, done in week.values()) and week[_days_ago(0)] == (9100, True)
    assert history["habit"]["streak"] == 7 and history["habit"]["ticked_today"] is True
    water_now = client_api.call("GET", f"/api/habits/{water['id']}")
    assert (water_now["streak"], water_now["ticked_today"]) == (7, True)


def _wait_for_open_sockets(admin: Api, count: int) -> None:
    deadline = time.monotonic() + 15
    while admin.call("GET", "/api/system/health")["open_sockets"] != count:
        assert time.monotonic() < deadline, "the sockets did not open"
        time.sleep(0.1)


@browser_only
def test_spa_a_tab_closed_for_too_many_sockets_stays_off_quietly(browser: Any, spa_database_url: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WS_MAX_PER_USER", "2")
    served = Server(database_url=spa_database_url).start()
    try:
        admin = Api(served, ADMIN_EMAIL, ADMIN_PASSWORD)
        scene = _scene(served, admin)
        person = spa.Person(browser, served, PHONE)
        sockets: list[Any] = []
        person.page.on("websocket", lambda socket: sockets.append(socket))
        page = person.go("/signin?next=/messages")  # the thread opens no socket but the shell's notifications one
        page.get_by_label("Email").fill(scene["client_email"])
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("main .messenger")
        _wait_for_open_sockets(admin, 1)  # the tab's socket is the server's first, so the oldest
        assert [s.url.split("?")[0].rsplit("/", 1)[1] for s in sockets] == ["notifications"]
        token = scene["client"].http.headers["Authorization"].split()[1]
        url = f"ws://127.0.0.1:{served.port}/ws/notifications?token={token}"
        # Two more sockets of the same account (another device, another tab): the tab's, the oldest, is closed.
        with connect(url), connect(url):
            page.get_by_text("Live updates are off in this tab").wait_for()
            assert sockets[0].is_closed()
            # And it stays off: past the first reconnect delay (at most 1.25 s) no new socket was opened.
            page.wait_for_timeout(2500)
            assert len(sockets) == 1
        person.close()
    finally:
        served.stop()

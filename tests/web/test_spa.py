"""The browser app, driven in Debian's chromium against a real `python -m elior serve` on a temporary database.

Each test is one person's day (or one property of the app) through the real UI; the scenes around it (another
person's action) go through the real API. Every browser test also fails on any console error, uncaught exception or
CSP violation. Screenshots of each main screen land in tests/screenshots/ for a person to look at.
"""
from __future__ import annotations

import asyncio
import gzip
import re
import threading
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest

from elior import clock
from elior.web import assets
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL, _pg_admin, _server_url
from tests.spa_support import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    PASSWORD,
    ROOT,
    Api,
    Server,
    launch,
    missing_browser,
    photo_jpeg,
    register_by_invite,
    watch_console,
)

SHOTS = Path(__file__).resolve().parents[1] / "screenshots"
STATIC = ROOT / "static"
XSS = "<img src=x onerror=alert(1)>"
PHONE = {"width": 360, "height": 740}
DESK = {"width": 1440, "height": 900}

browser_only = pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser()))


def a_minute_ago() -> str:
    """A time a workout can be logged at whatever the hour: "today at 07:00" is in the future before 07:00 UTC."""
    return clock.iso(clock.now() - timedelta(minutes=1))


# --- the built files, no browser needed ---

def test_fingerprint_name_changes_when_an_imported_module_changes(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "index.html").write_text("<head><!-- elior:assets --></head>")
    (src / "style.css").write_text("body{}")
    (src / "leaf.js").write_text("export const x = 1;\n")
    (src / "app.js").write_text('import { x } from "./leaf.js";\nconsole.log(x);\n')
    (src / "other.js").write_text("export const y = 1;\n")
    before = set(assets.build(src).assets)
    (src / "leaf.js").write_text("export const x = 2;\n")
    changed = before ^ set(assets.build(src).assets)
    assert {name.split(".")[0] for name in changed} == {"app", "leaf"}  # other.js keeps its name


@pytest.mark.parametrize("files, problem", [
    ({"app.js": 'import "./a.js";', "a.js": 'import "./app.js";'}, "import cycle: a.js -> app.js -> a.js"),
    ({"app.js": 'import("./gone.js");'}, "imports ./gone.js, which is not in static/src/"),
    ({"app.js": "", "index.html": "<head></head>"}, "has no <!-- elior:assets -->"),
])
def test_sources_that_cannot_be_fingerprinted_say_why(tmp_path: Path, files: dict[str, str], problem: str) -> None:
    for name, text in {"index.html": "<!-- elior:assets -->", "style.css": "", **files}.items():
        (tmp_path / name).write_text(text)
    with pytest.raises(assets.BuildError, match=re.escape(problem)):
        assets.build(tmp_path)


IMPORTED = re.compile(r"""["']\./([\w-]+\.[0-9a-f]{10}\.js)["']""")
STATIC_IMPORT = re.compile(r"""^\s*(?:import|export)\b[^;()]*?["']\./([\w-]+\.[0-9a-f]{10}\.js)["']""", re.MULTILINE)
# Where each role lands after signing in (HOME in static/src/app.js) and the module that draws it.
HOME_MODULES = {"trainer": "attention", "client": "client", "admin": "admin"}


def _closure(build: assets.Build, start: list[str], follow: re.Pattern[str] = IMPORTED) -> set[str]:
    """The assets reached from `start` through imports `follow` matches (all of them: static and dynamic)."""
    seen: set[str] = set()
    pending = list(start)
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        pending += follow.findall(build.assets[name].body.decode())
    return seen


def _static_closure(build: assets.Build) -> set[str]:
    """Every asset the app could ever fetch: the entry's static and dynamic imports, transitively."""
    return _closure(build, [build.entry])


def _asset(build: assets.Build, module: str) -> str:
    return next(name for name in build.assets if name.startswith(f"{module}.") and name.endswith(".js"))


def _gzipped(build: assets.Build, css: str, files: set[str]) -> int:
    return len(gzip.compress(build.index)) + len(build.assets[css].gzipped) + \
        sum(len(build.assets[name].gzipped) for name in files)


def test_first_load_of_any_role_in_any_language_is_under_150_kb_compressed() -> None:
    """What a phone fetches to show a role's home screen: the page, the stylesheet, the shell's static imports, the
    home screen's module with its static imports, and the language's catalogue (English is part of the shell; Hebrew
    is fetched by those who choose it). Other screens load when first opened."""
    build = assets.build(STATIC / "src")
    css = re.search(r'href="/assets/(style\.[0-9a-f]+\.css)"', build.index.decode())
    assert css and f'src="/assets/{build.entry}"' in build.index.decode()
    shell = _closure(build, [build.entry], STATIC_IMPORT)
    assert _asset(build, "lang_en") in shell and _asset(build, "lang_he") not in shell
    for role, module in HOME_MODULES.items():
        for extra in ([], [_asset(build, "lang_he")]):
            files = shell | _closure(build, [_asset(build, module), *extra], STATIC_IMPORT)
            total = _gzipped(build, css.group(1), files)
            assert total < 150 * 1024, f"{role} {extra}: {total} bytes compressed"


def test_the_whole_app_is_under_250_kb_compressed() -> None:
    """Every role's every screen and both catalogues: an upper bound no one user reaches."""
    build = assets.build(STATIC / "src")
    css = re.search(r'href="/assets/(style\.[0-9a-f]+\.css)"', build.index.decode())
    assert css
    files = _static_closure(build)
    assert len(files) > 40
    total = _gzipped(build, css.group(1), files)
    assert total < 250 * 1024, f"{total} bytes compressed"


def test_spa_sources_never_build_html_from_strings() -> None:
    sources = sorted((STATIC / "src").glob("*.js"))
    assert sources
    for path in sources:
        text = path.read_text()
        for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
            assert sink not in text, f"{path.name} uses {sink}"
    index = assets.build(STATIC / "src").index.decode()
    assert "<style" not in index and " style=" not in index
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", index)), "no inline scripts"


# --- the browser ---

@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def _off_loop(coroutine: Any) -> None:
    """Run a coroutine in a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine)
        except BaseException as error:  # noqa: BLE001 - handed back to the caller's thread
            failure.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture
def spa_database_url(tmp_path: Path) -> Iterator[str]:
    """A fresh database per test: a SQLite file, or a new database on ELIOR_TEST_DATABASE_URL's server."""
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'elior.db'}"
        return
    name = f"elior_spa_{uuid.uuid4().hex[:10]}"
    _off_loop(_pg_admin(TEST_DATABASE_URL, f'CREATE DATABASE "{name}"'))
    try:
        yield _server_url(TEST_DATABASE_URL, name)
    finally:
        _off_loop(_pg_admin(TEST_DATABASE_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
def server(spa_database_url: str) -> Iterator[Server]:
    running = Server(database_url=spa_database_url).start()
    yield running
    running.stop()


@pytest.fixture
def owner(server: Server) -> Iterator[Api]:
    api = Api(server, ADMIN_EMAIL, ADMIN_PASSWORD)
    yield api
    api.close()


class Person:
    """One browser context (its own storage, as a separate device would have) and its page."""

    def __init__(self, browser: Any, server: Server, viewport: dict[str, int]) -> None:
        self.server = server
        self.context = browser.new_context(viewport=viewport)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        self.expected_statuses: set[int] = set()  # HTTP errors the test provokes (Chromium logs each one)
        watch_console(self.page, self.problems)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def go(self, path: str) -> Any:
        self.page.goto(self.server.url + path)
        return self.page

    def sign_in(self, email: str, password: str = PASSWORD) -> Any:
        page = self.go("/signin")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_selector("header.top")
        return page

    def shot(self, name: str, full_page: bool = True) -> None:
        SHOTS.mkdir(exist_ok=True)
        self.page.wait_for_load_state("networkidle")
        self.page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)

    def close(self) -> None:
        self.context.close()
        provoked = re.compile(r"Failed to load resource: the server responded with a status of (\d+)")
        problems = [p for p in self.problems
                    if not ((m := provoked.search(p)) and int(m.group(1)) in self.expected_statuses)]
        assert problems == [], problems
        assert self.dialogs == [], self.dialogs


@pytest.fixture
def people(browser: Any, server: Server) -> Iterator[Any]:
    made: list[Person] = []

    def make(viewport: dict[str, int] = DESK) -> Person:
        made.append(Person(browser, server, viewport))
        return made[-1]

    yield make
    for person in made:
        person.close()


def _trainer(server: Server, owner: Api, name: str = "Tess Trainer") -> tuple[str, Api]:
    return register_by_invite(server, owner, "trainer", name)


def _scene(server: Server, owner: Api, client_name: str = "Cleo Client") -> dict[str, Any]:
    """A trainer with one client, two exercises, today's workout and a meal plan, all through the API."""
    trainer_email, trainer = _trainer(server, owner)
    client_email, client = register_by_invite(server, trainer, "client", client_name)
    squat = trainer.call("POST", "/api/exercises", 201, json={"name": "Goblet squat", "muscle_group": "legs"})
    press = trainer.call("POST", "/api/exercises", 201, json={"name": "Push-up", "muscle_group": "chest"})
    workout = trainer.call("POST", "/api/workouts", 201, json={
        "client_id": client.user["id"], "title": "Legs and push", "scheduled_for": date.today().isoformat(),
        "exercises": [{"exercise_id": squat["id"], "position": 1, "sets": 2, "reps": 10, "weight_kg": 20,
                       "rest_seconds": 60},
                      {"exercise_id": press["id"], "position": 2, "sets": 2, "reps": 12, "rest_seconds": 0}]})
    plan = trainer.call("POST", "/api/meal-plans", 201, json={
        "client_id": client.user["id"], "title": "Lean week",
        "start_date": (date.today() - timedelta(days=1)).isoformat(),
        "targets": {"kcal": 2200, "protein_g": 150, "carbs_g": 220, "fat_g": 70},
        "meals": [{"name": "Breakfast", "time": "08:00", "position": 1, "items": [
            {"food": "Oats", "quantity_g": 80, "kcal": 300, "protein_g": 10, "carbs_g": 54, "fat_g": 6}]},
            {"name": "Lunch", "time": "13:00", "position": 2, "items": [
                {"food": "Chicken and rice", "quantity_g": 400, "kcal": 650, "protein_g": 50, "carbs_g": 80,
                 "fat_g": 12}]}]})
    return {"trainer_email": trainer_email, "trainer": trainer, "client_email": client_email, "client": client,
            "squat": squat, "press": press, "workout": workout, "plan": plan}


@browser_only
def test_spa_trainer_day_onboards_a_client_builds_a_workout_and_sees_the_log_live(server: Server, owner: Api,
                                                                                  people: Any) -> None:
    trainer_email, trainer_api = _trainer(server, owner)
    me = people()
    page = me.sign_in(trainer_email)
    page.wait_for_selector("h1:has-text('Clients')")
    assert "No clients yet" in page.inner_text("main")

    # The exercise library: two exercises, added through the form.
    page.get_by_role("link", name="Exercises").click()
    for name, group in (("Goblet squat", "legs"), ("Push-up", "chest")):
        page.get_by_label(re.compile(r"^Name")).fill(name)
        page.get_by_label("Muscle group").fill(group)
        page.get_by_role("button", name="Add to the library").click()
        page.wait_for_selector(f"tbody th:has-text('{name}')")
    me.shot("trainer-exercises")

    # Invite a client; the client opens the link on their phone and creates an account.
    page.get_by_role("link", name="Invites").click()
    page.get_by_role("button", name="Create invite link").click()
    link = page.locator("#invite-link").input_value()
    assert re.fullmatch(rf"{re.escape(server.url)}/invite/\S+", link)
    me.shot("trainer-invites")
    phone = people(PHONE)
    phone.page.goto(link)
    phone.page.get_by_label("Your name").fill("Cleo Client")
    client_email = f"cleo-{uuid.uuid4().hex[:6]}@studio.test"
    phone.page.get_by_label("Email").fill(client_email)
    phone.page.get_by_label("Password").fill(PASSWORD)
    phone.page.get_by_role("button", name="Create my account").click()
    phone.page.wait_for_selector("h1:has-text('Hello, Cleo')")
    phone.shot("invite-accepted-client-today")

    # The new client is on the trainer's list, flagged: nothing logged yet.
    page.get_by_role("link", name="Clients").click()
    row = page.locator("tr", has_text="Cleo Client")
    row.get_by_text("No workout logged yet").wait_for()
    me.shot("trainer-dashboard")

    # Build a workout for today from the library.
    row.get_by_role("link", name="Cleo Client").click()
    page.get_by_role("link", name="New workout").click()
    page.get_by_label("Title").fill("Legs and push")
    page.get_by_label("Date").fill(date.today().isoformat())
    page.get_by_label("Find an exercise in the library").fill("squat")
    page.get_by_role("button", name="Add to workout").click()
    page.get_by_label("Find an exercise in the library").fill("push")
    page.get_by_role("button", name="Add to workout").click()
    page.locator("[name='exercises.0.weight_kg']").fill("24")
    page.locator("[name='exercises.1.reps']").fill("12")
    page.get_by_role("button", name="Move up: Push-up (exercise 2)").click()
    assert page.locator("fieldset.exercise-row legend").all_inner_texts() == ["1. Push-up", "2. Goblet squat"]
    me.shot("trainer-workout-editor")
    page.get_by_role("button", name="Save workout").click()
    page.wait_for_selector("li.workout:has-text('Legs and push')")
    client_id = int(page.locator("[data-client]").first.get_attribute("data-client") or 0)
    workouts = trainer_api.call("GET", "/api/workouts", params={"client_id": client_id})["items"]
    assert [(x["sets"], x["reps"], x["weight_kg"]) for x in workouts[0]["exercises"]] == [(3, 12, None),
                                                                                          (3, 10, 24)]

    # The meal plan editor: totals follow the typing.
    page.get_by_role("link", name="New meal plan").click()
    page.get_by_label("Title").fill("Lean week")
    page.locator("[name='targets.kcal']").fill("2000")
    page.locator("[name='meals.0.items.0.food']").fill("Oats")
    page.locator("[name='meals.0.items.0.quantity_g']").fill("80")
    page.locator("[name='meals.0.items.0.kcal']").fill("300")
    page.locator("[name='meals.1.items.0.food']").fill("Rice")
    page.locator("[name='meals.1.items.0.kcal']").fill("450")
    assert page.locator("#plan-totals tr[data-macro=kcal] .planned").inner_text() == "750 kcal"
    page.locator("[name='meals.1.items.0.kcal']").fill("500")
    assert page.locator("#plan-totals tr[data-macro=kcal] .planned").inner_text() == "800 kcal"
    for field in ("meals.2.items.0.food",):
        page.locator(f"[name='{field}']").fill("Salmon")
    me.shot("trainer-meal-plan-editor")
    page.get_by_role("button", name="Save meal plan").click()
    page.wait_for_selector("text=Today: targets against what was logged")
    me.shot("trainer-client-page")

    # The client logs the workout (on their phone, through the API here): it shows up live, no reload.
    client_api = Api(server, client_email, PASSWORD)
    workout = workouts[0]
    client_api.call("POST", f"/api/workouts/{workout['id']}/log", 201, json={
        "performed_at": a_minute_ago(), "duration_minutes": 40, "rating": 4,
        "sets": [{"exercise_id": x["exercise_id"], "set_number": 1, "reps": 10, "weight_kg": 20}
                 for x in workout["exercises"]]})
    page.wait_for_selector(f"li.workout[data-workout='{workout['id']}'] .pill:has-text('Done')")
    page.wait_for_selector(".bell-wrap[data-unread='1']")
    page.locator("li.workout", has_text="Legs and push").get_by_role("button", name="Show log").click()
    page.wait_for_selector("caption:has-text('Logged')")
    page.locator("button.bell").click()
    assert "Cleo Client" in page.locator("#bell-panel").inner_text()
    me.shot("trainer-live-log-and-bell")
    client_api.close()


@browser_only
def test_spa_trainer_reviews_a_meal_photo(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner)
    me = people()
    page = me.sign_in(scene["trainer_email"])
    uploaded = scene["client"].call("POST", "/api/files/upload", 201, files={
        "file": ("lunch.jpg", photo_jpeg(page, "Lunch", "#2f6f4f"), "image/jpeg")},
        data={"purpose": "meal_photo"})
    entry = scene["client"].call("POST", f"/api/meal-plans/{scene['plan']['id']}/entries", 201, json={
        "date": date.today().isoformat(), "meal_name": "Lunch", "description": "Chicken, rice, greens",
        "photo_file": uploaded["filename"], "kcal": 640})
    page.get_by_role("link", name="Review").click()
    card = page.locator(f"li[data-entry='{entry['id']}']")
    card.wait_for()
    page.wait_for_function("() => document.querySelector('.meal-photo')?.naturalWidth > 0")
    me.shot("trainer-review-queue")
    card.get_by_label("Comment for the client").fill("Great plate!")
    card.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=All caught up.")
    reviewed = scene["client"].call("GET", f"/api/meal-plans/{scene['plan']['id']}/entries")["items"][0]
    assert (reviewed["status"], reviewed["review_comment"]) == ("approved", "Great plate!")


@browser_only
def test_spa_client_day_on_a_phone_logs_sets_a_meal_photo_and_progress(server: Server, owner: Api,
                                                                      people: Any) -> None:
    scene = _scene(server, owner)
    me = people(PHONE)
    page = me.sign_in(scene["client_email"])
    before = scene["client"].call("POST", "/api/files/upload", 201, data={"purpose": "progress_photo"}, files={
        "file": ("before.jpg", photo_jpeg(page, "Before", "#5b2a86"), "image/jpeg")})
    scene["client"].call("POST", "/api/progress", 201, json={
        "date": (date.today() - timedelta(days=14)).isoformat(), "weight_kg": 82.5, "body_fat_pct": 22,
        "measurements": {"waist_cm": 90}, "photo_files": [before["filename"]]})
    page.reload()
    page.wait_for_selector("h2:has-text('Legs and push')")
    me.shot("client-today")

    # Set by set: reps up by one on the first set of each exercise, everything else as prescribed.
    page.get_by_role("button", name="Start logging").click()
    for n in range(4):
        page.wait_for_selector(f"button:has-text('Done: set {n % 2 + 1}')")
        if n % 2 == 0:
            page.get_by_role("button", name="Reps: 1 more").click()
        if n == 1:
            me.shot("client-logging-a-set", full_page=False)
            assert page.get_by_role("button", name="Done: set 2").is_visible()
        page.get_by_role("button", name=re.compile(r"^Done: set")).click()
    page.get_by_label("Duration (minutes)").fill("35")
    page.get_by_label("How did it go? (1–5)").select_option("4")
    page.get_by_role("button", name="Finish workout").click()
    page.wait_for_selector("text=No workout planned")
    log = scene["client"].call("GET", f"/api/workouts/{scene['workout']['id']}/log")
    assert [(s["set_number"], s["reps"]) for s in log["sets"]] == [(1, 11), (2, 11), (1, 13), (2, 13)]
    assert (log["duration_minutes"], log["rating"]) == (35, 4)

    # A meal with a photo from the camera.
    page.get_by_role("link", name="Meals").click()
    page.get_by_label(re.compile(r"^Meal\b")).select_option("Lunch")
    page.get_by_label("Photo of your meal").set_input_files(files=[{
        "name": "lunch.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(page, "Lunch", "#7a3b12")}])
    page.get_by_label("What did you eat?").fill("Chicken, rice and greens")
    page.get_by_role("button", name="Log this meal").click()
    page.wait_for_selector("li.entry:has-text('Chicken, rice and greens') .pill:has-text('Waiting for review')")
    page.wait_for_function("() => document.querySelector('li.entry img.thumb')?.naturalWidth > 0")
    me.shot("client-meals")
    entry = scene["client"].call("GET", f"/api/meal-plans/{scene['plan']['id']}/entries")["items"][0]
    assert entry["photo_file"] and entry["status"] == "pending"

    # A progress entry, then the chart with both points.
    page.get_by_role("link", name="Progress").click()
    page.get_by_label("Weight (kg)").fill("80.4")
    page.get_by_label("Body fat (%)").fill("20.5")
    page.get_by_role("spinbutton", name="Waist").fill("86")
    page.get_by_label("Photo (optional)").set_input_files(files=[{
        "name": "after.jpg", "mimeType": "image/jpeg", "buffer": photo_jpeg(page, "After", "#1f5f8b")}])
    page.get_by_role("button", name="Save progress entry").click()
    chart = page.locator("figure[data-measure='Weight']")
    chart.locator("circle").nth(1).wait_for()
    assert "-2.1" in chart.inner_text()
    assert page.locator("figure[data-measure='Waist'] circle").count() == 2
    page.wait_for_function("() => [...document.querySelectorAll('.photo-pair img')].filter((i) => i.naturalWidth > 0)"
                           ".length === 2")
    me.shot("client-progress")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@browser_only
def test_spa_owner_day_invites_a_trainer_assigns_a_client_and_reads_the_system(server: Server, owner: Api,
                                                                               people: Any) -> None:
    me = people()
    page = me.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page.wait_for_selector("h1:has-text('Users and roles')")
    page.get_by_role("link", name="Invites", exact=True).click()
    page.get_by_label("Invite a").select_option("trainer")
    page.get_by_role("button", name="Create invite link").click()
    code = page.locator("#invite-link").input_value().rsplit("/", 1)[1]
    answer = httpx_post(server, "/api/auth/register", {"email": "rita@studio.test", "password": PASSWORD,
                                                       "full_name": "Rita Trainer", "invite_code": code})
    assert answer.status_code == 201, answer.text
    client = owner.call("POST", "/api/users", 201, json={"email": "sam@studio.test", "password": PASSWORD,
                                                         "full_name": "Sam Client", "role": "client"})
    page.get_by_role("link", name="Users").click()
    row = page.locator(f"form[data-user='{client['id']}']")
    row.get_by_label("Trainer").select_option(label="Rita Trainer")
    row.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Sam Client saved.")
    assert owner.call("GET", f"/api/users/{client['id']}")["trainer_id"] is not None
    me.shot("owner-users")
    page.get_by_role("link", name="Trainers").click()
    page.locator("section", has_text="Rita Trainer (1)").get_by_role("link", name="Sam Client").wait_for()
    me.shot("owner-trainers")
    page.get_by_role("link", name="System").click()
    page.wait_for_selector("text=Latency by route")
    assert "sqlite" in page.inner_text("main") or "postgres" in page.inner_text("main")
    page.wait_for_selector("td:has-text('POST /api/auth/login')")
    me.shot("owner-system")
    page.get_by_role("link", name="Review").click()  # an owner reviews meals too: the tab is in their header
    page.locator("p.lead").filter(has_text=re.compile("waiting for review|All caught up")).wait_for()


def httpx_post(server: Server, path: str, body: dict[str, Any]) -> Any:
    import httpx2 as httpx

    return httpx.post(server.url + path, json=body, timeout=20)


@browser_only
def test_spa_shows_a_hostile_name_as_text(server: Server, owner: Api, people: Any) -> None:
    scene = _scene(server, owner, client_name=XSS)
    scene["trainer"].call("PUT", f"/api/users/{scene['client'].user['id']}", json={
        "profile": {"goals": "<script>alert(2)</script>"}})
    scene["client"].call("POST", f"/api/workouts/{scene['workout']['id']}/log", 201, json={
        "performed_at": a_minute_ago(), "notes": "<b onmouseover=alert(3)>hi</b>",
        "sets": [{"exercise_id": scene["squat"]["id"], "set_number": 1, "reps": 8}]})
    me = people()
    page = me.sign_in(scene["trainer_email"])
    page.locator("tr", has_text=XSS).get_by_role("link", name=XSS).click()
    page.wait_for_url("**/clients/*")
    page.wait_for_selector("text=Upcoming workouts")
    assert page.locator("h1").inner_text() == XSS
    assert "<script>alert(2)</script>" in page.inner_text("main")
    page.get_by_role("button", name="Show log").click()
    page.wait_for_selector("text=<b onmouseover=alert(3)>hi</b>")
    page.locator("button.bell").click()
    assert XSS in page.locator("#bell-panel").inner_text()
    assert page.locator("img[src='x'], script:not([src]), b[onmouseover]").count() == 0
    assert page.title().startswith(XSS)
    me.shot("xss-name-as-text")


@browser_only
def test_spa_keyboard_only_sign_in_with_visible_focus(server: Server, owner: Api, people: Any) -> None:
    me = people()
    me.expected_statuses = {401}
    page = me.go("/")
    page.wait_for_selector("h1:has-text('Sign in')")
    # The page starts at its heading; the keyboard takes it from there.
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "email"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineWidth")
    assert float(outline.removesuffix("px")) >= 2
    page.keyboard.type(ADMIN_EMAIL)
    page.keyboard.press("Tab")
    page.keyboard.type("wrong password")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "do not match" in alert.inner_text()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(ADMIN_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Users and roles')")
    assert page.evaluate("document.activeElement.tagName") == "H1"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('header') !== null")
    assert page.evaluate("document.activeElement.textContent") == "Sign out"
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Session ended')")
    me.shot("signed-out")


@browser_only
def test_spa_api_validation_errors_appear_next_to_their_field(server: Server, owner: Api, people: Any) -> None:
    code = owner.call("POST", "/api/invites", 201, json={"role": "client"})["code"]
    me = people(PHONE)
    me.expected_statuses = {422}
    page = me.go(f"/invite/{code}")
    page.get_by_label("Your name").fill("Short Password")
    page.get_by_label("Email").fill("short@studio.test")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create my account").click()
    password = page.get_by_label("Password")
    page.wait_for_selector("input[name=password][aria-invalid=true]")
    error_id = (password.get_attribute("aria-describedby") or "").split()[-1]
    assert page.locator(f"#{error_id}").is_visible()
    assert page.locator(f"#{error_id}").inner_text().strip()
    assert page.locator("input[name=email][aria-invalid]").count() == 0
    me.shot("invite-validation-error")


@browser_only
def test_spa_session_survives_a_reload_through_a_silent_refresh(server: Server, owner: Api, people: Any) -> None:
    me = people()
    page = me.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD)
    page.wait_for_selector("h1:has-text('Users and roles')")
    refreshes: list[int] = []
    page.on("response", lambda r: refreshes.append(r.status) if r.url.endswith("/api/auth/refresh") else None)
    for _ in range(2):
        page.reload()
        page.wait_for_selector("h1:has-text('Users and roles')")
    assert refreshes == [200, 200]


@browser_only
def test_spa_shows_a_clear_screen_when_the_session_ends(server: Server, owner: Api, people: Any) -> None:
    trainer_email, trainer = _trainer(server, owner)
    me = people()
    me.expected_statuses = {401}
    page = me.sign_in(trainer_email)
    page.wait_for_selector("h1:has-text('Clients')")
    owner.call("PUT", f"/api/users/{trainer.user['id']}", json={"is_active": False})
    # Nobody touches the page: the live socket is closed by the server (4401), the refresh is refused, and the
    # page says so by itself.
    page.wait_for_url("**/session-ended**", timeout=15_000)
    page.wait_for_selector("h1:has-text('Session ended')")
    assert page.get_by_role("link", name="Sign in again").is_visible()
    assert page.evaluate("sessionStorage.getItem('elior.refresh')") is None
    me.shot("session-ended")


@browser_only
def test_spa_first_run_setup_creates_the_owner(browser: Any, spa_database_url: str) -> None:
    server = Server(database_url=spa_database_url, admin=False).start()
    try:
        person = Person(browser, server, DESK)
        token = server.setup_token()
        page = person.go(f"/setup?token={token}")
        page.get_by_label("Your name").fill("Olive Owner")
        page.get_by_label("Email").fill("olive@studio.test")
        page.get_by_label("Password").fill(PASSWORD)
        person.shot("first-run-setup")
        page.get_by_role("button", name="Create the owner's account").click()
        page.wait_for_selector("h1:has-text('Users and roles')")
        assert "Olive Owner" in page.inner_text("main")
        person.close()
    finally:
        server.stop()

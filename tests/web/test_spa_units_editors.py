"""Weights in the editors in the signed-in user's units, and the progress CSV from the page (static/src/units.js,
workout_editor.js, program_day.js, progress.js).

A trainer who chose pounds types pounds in the workout editor and the program builder; the API keeps kilograms to
the gram (135 lb -> 61.235 kg) and the editors show the pounds typed when opened again. The progress pages offer
"Download CSV": the file the browser saves holds the entries, in the downloader's units (its headers name them).
Driven in Debian's chromium against a real server (the fixtures of tests/web/test_spa.py: any console error,
uncaught exception or unexpected HTTP error fails the test).
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.spa_support import Api, Server, register_by_invite
from tests.web import test_spa as spa
from tests.web.test_spa import DESK, browser_only

browser, spa_database_url, server, owner, people = spa.browser, spa.spa_database_url, spa.server, spa.owner, spa.people

KG_PER_LB = 0.45359237
TODAY = date.today()


def _studio(server: Server, owner: Api, units_weight: str = "lb", units_length: str = "in") -> dict[str, Any]:
    """A trainer in the given units, one client (metric) and two exercises, through the API."""
    trainer_email, trainer = register_by_invite(server, owner, "trainer", "Pat Pounds")
    trainer.call("PUT", f"/api/users/{trainer.user['id']}",
                 json={"units_weight": units_weight, "units_length": units_length})
    client_email, client = register_by_invite(server, trainer, "client", "Kim Client")
    squat = trainer.call("POST", "/api/exercises", 201, json={"name": "Back squat", "muscle_group": "legs"})
    trainer.call("POST", "/api/exercises", 201, json={"name": "Bench press", "muscle_group": "chest"})
    return {"trainer_email": trainer_email, "trainer": trainer, "client_email": client_email, "client": client,
            "squat": squat}


@browser_only
def test_spa_trainer_in_pounds_types_pounds_in_the_workout_editor_and_the_api_keeps_kilograms(
        server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    client_id = studio["client"].user["id"]
    me = people(DESK)
    page = me.sign_in(studio["trainer_email"])
    me.go(f"/workouts/new?client={client_id}")
    page.get_by_label("Title").fill("Heavy legs")
    page.get_by_label("Find an exercise in the library").fill("squat")
    page.get_by_role("button", name="Add to workout").click()
    weight = page.get_by_label("Weight (lb)")
    assert weight.get_attribute("name") == "exercises.0.weight_kg"  # a 422 about weight_kg still lands on it
    weight.fill("135")
    page.get_by_role("button", name="Save workout").click()
    page.wait_for_selector("li.workout:has-text('Heavy legs')")

    workout = studio["trainer"].call("GET", "/api/workouts", params={"client_id": client_id})["items"][0]
    stored = workout["exercises"][0]["weight_kg"]
    assert stored == pytest.approx(61.235, abs=1e-9)  # 135 x 0.45359237 = 61.23497, kept to the gram
    assert stored == round(135 * KG_PER_LB, 3)

    # Reopened, the editor shows the pounds typed, not 134.99…; saved untouched, the kilograms do not drift.
    me.go(f"/workouts/{workout['id']}/edit")
    assert page.get_by_label("Weight (lb)").input_value() == "135"
    page.get_by_role("button", name="Save workout").click()
    page.wait_for_selector("li.workout:has-text('Heavy legs')")
    again = studio["trainer"].call("GET", f"/api/workouts/{workout['id']}")
    assert again["exercises"][0]["weight_kg"] == stored

    # A metric trainer's workout (80 kg) shows as 176.4 lb here.
    studio["trainer"].call("PUT", f"/api/workouts/{workout['id']}", json={
        "title": "Heavy legs", "scheduled_for": workout["scheduled_for"],
        "exercises": [{"exercise_id": studio["squat"]["id"], "position": 1, "sets": 3, "reps": 5, "weight_kg": 80}]})
    me.go(f"/workouts/{workout['id']}/edit")
    assert page.get_by_label("Weight (lb)").input_value() == "176.4"


@browser_only
def test_spa_program_builder_in_pounds_keeps_kilograms_and_shows_the_pounds_again(server: Server, owner: Api,
                                                                                  people: Any) -> None:
    studio = _studio(server, owner)
    me = people(DESK)
    page = me.sign_in(studio["trainer_email"])
    me.go("/programs/new")
    page.locator("[name='title']").fill("Pound for pound")
    page.get_by_role("button", name="Add a workout to this day").click()
    page.keyboard.type("Squat day")
    picker = page.locator(".day-panel .picker-input")
    picker.fill("Back squat")
    picker.press("Enter")
    page.locator(".day-panel legend", has_text="Back squat").wait_for()
    line = page.locator("[data-line]").first
    assert line.get_by_label("Weight (lb)").count() == 1
    page.locator("[name='workouts.0.exercises.0.weight_kg']").fill("135")
    line.locator("summary").click()
    assert line.get_by_label("Add lb a week").count() == 1
    page.locator("[name='workouts.0.exercises.0.progression_kg']").fill("5")
    page.get_by_role("button", name="Save program").click()
    page.wait_for_url(re.compile(r"/programs/\d+$"))
    program_id = int(page.url.rsplit("/", 1)[1])

    saved = studio["trainer"].call("GET", f"/api/programs/{program_id}")["workouts"][0]["exercises"][0]
    assert saved["weight_kg"] == pytest.approx(61.235, abs=1e-9)
    assert saved["progression_kg"] == pytest.approx(2.268, abs=1e-9)  # 5 lb = 2.26796 kg

    page.reload()
    page.locator(".day-panel legend", has_text="Back squat").wait_for()
    assert page.locator("[name='workouts.0.exercises.0.weight_kg']").input_value() == "135"
    assert page.locator("[name='workouts.0.exercises.0.progression_kg']").input_value() == "5"


def _entries(api: Api, client_id: int | None = None) -> list[dict[str, Any]]:
    """Two progress entries (a week apart), through the API."""
    made = []
    for days, kg, waist in ((7, 80, 90), (0, 78.5, 88.9)):
        body: dict[str, Any] = {"date": (TODAY - timedelta(days=days)).isoformat(), "weight_kg": kg,
                                "measurements": {"waist_cm": waist}, "notes": f"week -{days}"}
        if client_id:
            body["client_id"] = client_id
        made.append(api.call("POST", "/api/progress", 201, json=body))
    return made


def _download_csv(page: Any) -> tuple[str, list[dict[str, str]]]:
    button = page.get_by_role("button", name="Download CSV")
    with page.expect_download() as info:
        button.click()
    download = info.value
    text = Path(download.path()).read_text(encoding="utf-8")
    return download.suggested_filename, list(csv.DictReader(io.StringIO(text)))


@browser_only
def test_spa_progress_csv_downloads_the_entries_in_the_users_units(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    client_id = studio["client"].user["id"]
    _entries(studio["client"])

    # The client (metric): their own progress page.
    phone = people(DESK)
    page = phone.sign_in(studio["client_email"])
    phone.go("/progress")
    page.get_by_text("weights in kg and lengths in cm").wait_for()
    name, rows = _download_csv(page)
    assert name == f"progress-client-{client_id}-{TODAY.isoformat()}.csv"
    assert [(r["date"], r["weight_kg"], r["waist_cm"], r["notes"]) for r in rows] == [
        ((TODAY - timedelta(days=7)).isoformat(), "80", "90", "week -7"),
        (TODAY.isoformat(), "78.5", "88.9", "week -0")]

    # The trainer (pounds and inches) on the client's page: the same entries, in their units.
    desk = people(DESK)
    page = desk.sign_in(studio["trainer_email"])
    desk.go(f"/clients/{client_id}")
    page.get_by_text("weights in lb and lengths in in").wait_for()
    name, rows = _download_csv(page)
    assert name == f"progress-client-{client_id}-{TODAY.isoformat()}.csv"
    assert "weight_kg" not in rows[0]
    assert [(r["weight_lb"], r["waist_in"]) for r in rows] == [("176.37", "35.43"), ("173.06", "35")]
    assert float(rows[0]["weight_lb"]) == pytest.approx(80 / KG_PER_LB, abs=0.005)


@browser_only
def test_spa_progress_without_entries_offers_no_csv(server: Server, owner: Api, people: Any) -> None:
    studio = _studio(server, owner)
    me = people(DESK)
    page = me.sign_in(studio["client_email"])
    me.go("/progress")
    page.get_by_text("Nothing yet.").wait_for()
    assert page.get_by_role("button", name="Download CSV").count() == 0
    # The first entry makes the history reload with the button.
    page.locator("form.progress-form [name='weight_kg']").fill("70")
    page.get_by_role("button", name="Save progress entry").click()
    page.get_by_role("button", name="Download CSV").wait_for()


@browser_only
def test_spa_workout_editor_in_hebrew_is_right_to_left_and_keeps_pounds(server: Server, owner: Api,
                                                                        people: Any) -> None:
    studio = _studio(server, owner)
    client_id = studio["client"].user["id"]
    me = people(DESK)
    page = me.sign_in(studio["trainer_email"])
    # This device chooses Hebrew (the trainer has no language of their own); the editor boots in it.
    page.evaluate("localStorage.setItem('elior.language','he')")
    me.go(f"/workouts/new?client={client_id}")
    page.wait_for_selector("h1:has-text('אימון חדש')")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.get_by_label("כותרת").fill("רגליים")
    page.get_by_label("חיפוש תרגיל בספרייה").fill("squat")
    page.get_by_role("button", name="הוספה לאימון").click()
    page.get_by_label("משקל (lb)").fill("135")
    assert page.get_by_role("button", name="העברה למטה: Back squat (תרגיל 1)").count() == 1
    page.get_by_role("button", name="שמירת האימון").click()
    page.wait_for_selector("li.workout:has-text('רגליים')")
    workout = studio["trainer"].call("GET", "/api/workouts", params={"client_id": client_id})["items"][0]
    assert workout["exercises"][0]["weight_kg"] == pytest.approx(61.235, abs=1e-9)

    # The program builder too: its day panel, its line's labels in Hebrew with the unit as written.
    me.go("/programs/new")
    page.get_by_role("button", name="הוספת אימון ליום הזה").click()
    picker = page.locator(".day-panel .picker-input")
    picker.fill("Back squat")
    picker.press("Enter")
    line = page.locator("[data-line]").first
    line.get_by_label("משקל (lb)").wait_for()
    line.locator("summary").click()
    assert line.get_by_label("תוספת lb בשבוע").count() == 1
    assert page.locator(".day-panel h2").inner_text() == "שבוע 1, יום 1"

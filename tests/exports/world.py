"""A client with data in every domain, made through the API only (as a studio would make it), and the helpers the
export tests share: waiting for a job, downloading and opening its ZIP."""
from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests import samples
from tests.bookings.world import book, give_credits, make_type, ok, set_week
from tests.conversations.test_checkins import QUESTIONS
from tests.helpers import Person, Studio
from tests.programs.world import assign, make_program, program_body
from tests.training_world import log_body, make_exercise, make_workout

NOW = dt.datetime(2026, 3, 23, 8, 0, tzinfo=clock.UTC)  # a Monday: the check-in is due, the habit may be ticked
TUESDAY_9 = dt.datetime(2026, 3, 24, 9, 0, tzinfo=clock.UTC)


def upload(client: TestClient, who: Person, purpose: str, content: bytes, name: str, media: str) -> str:
    response = client.post("/api/files/upload", headers=who.headers, data={"purpose": purpose},
                           files={"file": (name, content, media)})
    assert response.status_code == 201, response.text
    return response.json()["filename"]  # type: ignore[no-any-return]


def build_client(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Client A1 with rows in every table an export writes; what was made, by name."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    made: dict[str, Any] = {}
    ok(client.put(f"/api/users/{a1.id}", json={"profile": {"phone": "=1+2", "goals": "Run a 10k",
                                                            "height_cm": 172.5}}, headers=trainer.headers))
    # training: a program assigned (its workouts), a hand-made workout logged and commented on
    squat = make_exercise(client, trainer, "Squat")["id"]
    row = make_exercise(client, trainer, "Row")["id"]
    made["program"] = make_program(client, trainer, program_body([squat, row], weeks=1, days=(1,)))
    assign(client, trainer, made["program"]["id"], [a1.id], start=NOW.date())
    workout = make_workout(client, trainer, a1.id, [{"exercise_id": squat, "sets": 3, "reps": 5, "weight_kg": 100}],
                           title="-2 sets, @home")
    ok(client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat, (5, 100), (5, 102.5)),
                   headers=a1.headers), 201)
    ok(client.post(f"/api/workouts/{workout['id']}/comments", json={"body": "Great depth"},
                   headers=trainer.headers), 201)
    made["workout"] = workout
    # files: a progress photo, a meal photo, a check-in photo and a document, stored encrypted when a key is set
    photo = upload(client, a1, "progress_photo", samples.jpeg(), "front.jpg", "image/jpeg")
    meal_photo = upload(client, a1, "meal_photo", samples.png(), "lunch.png", "image/png")
    checkin_photo = upload(client, a1, "progress_photo", samples.jpeg(blocks=3), "side.jpg", "image/jpeg")
    document = upload(client, a1, "document", samples.pdf(), "notes.pdf", "application/pdf")
    made["files"] = [photo, meal_photo, checkin_photo, document]
    # nutrition
    plan = ok(client.post("/api/meal-plans", json={
        "client_id": a1.id, "title": "Lean bulk", "start_date": "2026-03-01", "end_date": "2026-04-30",
        "targets": {"kcal": 2500, "protein_g": 160, "carbs_g": 300, "fat_g": 70},
        "meals": [{"name": "Breakfast", "time": "07:30", "items": [
            {"food": "Oats", "quantity_g": 80, "kcal": 303.2, "protein_g": 10.6, "carbs_g": 54.4, "fat_g": 5.6}]}]},
        headers=trainer.headers), 201)
    entry = ok(client.post(f"/api/meal-plans/{plan['id']}/entries", json={
        "date": "2026-03-22", "meal_name": "Lunch", "description": "@rice", "photo_file": meal_photo, "kcal": 650.5},
        headers=a1.headers), 201)
    ok(client.put(f"/api/meal-plans/{plan['id']}/entries/{entry['id']}/review",
                  json={"status": "approved", "comment": "well done"}, headers=trainer.headers))
    made["plan"] = plan
    # progress
    ok(client.post("/api/progress", json={"date": "2026-03-22", "weight_kg": 81.4, "notes": "+1 kg",
                                          "photo_files": [photo]}, headers=a1.headers), 201)
    # conversations: a message with an attachment, read by the trainer; a check-in; a habit ticked
    ok(client.post(f"/api/conversations/{a1.id}/messages", json={"body": "My notes", "attachments": [document]},
                   headers=a1.headers), 201)
    reply = ok(client.post(f"/api/conversations/{a1.id}/messages", json={"body": "Thanks!"}, headers=trainer.headers),
               201)
    ok(client.post(f"/api/conversations/{a1.id}/read", json={"message_id": reply["id"]}, headers=a1.headers), 204)
    template = ok(client.post("/api/check-in-templates", json={"title": "Weekly", "questions": QUESTIONS},
                              headers=trainer.headers), 201)
    ok(client.put(f"/api/check-ins/schedules/{a1.id}", json={"template_id": template["id"], "cadence": "weekly",
                                                              "weekday": 0}, headers=trainer.headers))
    by_kind = {q["kind"]: q["id"] for q in template["questions"]}
    ok(client.post("/api/check-ins", json={"answers": [
        {"question_id": by_kind["scale"], "value": 7}, {"question_id": by_kind["number"], "value": 81.5},
        {"question_id": by_kind["text"], "value": "=HYPERLINK(\"x\")"},
        {"question_id": by_kind["yes_no"], "value": True},
        {"question_id": by_kind["photo"], "value": checkin_photo}]}, headers=a1.headers), 201)
    habit = ok(client.post("/api/habits", json={"client_id": a1.id, "title": "Walk"}, headers=trainer.headers), 201)
    ok(client.put(f"/api/habits/{habit['id']}/ticks/{NOW.date().isoformat()}", json={}, headers=a1.headers))
    # notification settings
    ok(client.put("/api/notifications/settings", json={"muted": ["habit"]}, headers=a1.headers))
    ok(client.put("/api/notification-preferences", json={"message.created": "daily"}, headers=a1.headers))
    # bookings: a session type, the trainer's hours, a package and a booked session
    kind = make_type(client, admin)
    set_week(client, trainer)
    give_credits(client, trainer, a1, kind, credits=3)
    ok(book(client, a1, kind, TUESDAY_9), 201)
    return made


def wait_done(client: TestClient, who: Person, export_id: int, seconds: float = 60.0) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while True:
        body = ok(client.get(f"/api/exports/{export_id}", headers=who.headers))
        if body["status"] in ("done", "failed") or time.monotonic() > deadline:
            return body  # type: ignore[no-any-return]
        time.sleep(0.05)


def export_of(client: TestClient, who: Person, client_id: int) -> dict[str, Any]:
    started = ok(client.post("/api/exports", json={"client_id": client_id}, headers=who.headers), 202)
    assert (started["status"], started["progress"]) == ("queued", 0)
    done = wait_done(client, who, started["id"])
    assert done["status"] == "done", done
    return done


def open_zip(client: TestClient, export: dict[str, Any]) -> zipfile.ZipFile:
    response = client.get(export["download_url"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.content))


def data_of(archive: zipfile.ZipFile) -> dict[str, Any]:
    return json.loads(archive.read("data.json"))  # type: ignore[no-any-return]

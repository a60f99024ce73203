"""Comments on a logged workout: both sides write, the other side is told, oldest first, delete within the window."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.conversations.world import logged_workout, move_clock
from tests.helpers import Person, Studio, assert_error
from tests.training_world import a1_workout


def comment(client: TestClient, who: Person, workout_id: int, body: str) -> dict[str, Any]:
    response = client.post(f"/api/workouts/{workout_id}/comments", json={"body": body}, headers=who.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_feedback_and_reply_read_oldest_first(client: TestClient, studio: Studio) -> None:
    workout = logged_workout(client, studio)
    feedback = comment(client, studio.trainer_a, workout["id"], "Great depth on the squats")
    reply = comment(client, studio.client_a1, workout["id"], "Thanks! Knees felt fine")
    assert feedback["author_name"] == "Trainer A" and feedback["client_id"] == studio.client_a1.id
    for reader in (studio.client_a1, studio.trainer_a, studio.admin):
        listed = client.get(f"/api/workouts/{workout['id']}/comments", headers=reader.headers).json()
        assert [c["id"] for c in listed["items"]] == [feedback["id"], reply["id"]] and listed["total"] == 2


def test_comment_waits_for_the_log(client: TestClient, studio: Studio) -> None:
    _, planned = a1_workout(client, studio)
    response = client.post(f"/api/workouts/{planned['id']}/comments", json={"body": "ready?"},
                           headers=studio.trainer_a.headers)
    assert_error(response, 409)


def test_other_side_is_notified_of_a_comment(client: TestClient, studio: Studio) -> None:
    workout = logged_workout(client, studio)
    before = client.get("/api/notifications", headers=studio.client_a1.headers).json()["total"]
    trainer_before = client.get("/api/notifications", headers=studio.trainer_a.headers).json()["total"]
    comment(client, studio.trainer_a, workout["id"], "Nice")
    notes = client.get("/api/notifications", headers=studio.client_a1.headers).json()
    assert notes["total"] == before + 1 and notes["items"][0]["data"]["workout_id"] == workout["id"]
    assert client.get("/api/notifications", headers=studio.trainer_a.headers).json()["total"] == trainer_before


def test_author_deletes_within_fifteen_minutes(client: TestClient, studio: Studio,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    workout = logged_workout(client, studio)
    written = clock.now()
    early = comment(client, studio.client_a1, workout["id"], "first")
    late = comment(client, studio.client_a1, workout["id"], "second")
    path = f"/api/workouts/{workout['id']}/comments"
    assert_error(client.delete(f"{path}/{early['id']}", headers=studio.trainer_a.headers), 403)
    assert client.delete(f"{path}/{early['id']}", headers=studio.client_a1.headers).status_code == 204
    move_clock(monkeypatch, written + dt.timedelta(minutes=16))
    assert_error(client.delete(f"{path}/{late['id']}", headers=studio.client_a1.headers), 403)
    assert [c["id"] for c in client.get(path, headers=studio.client_a1.headers).json()["items"]] == [late["id"]]

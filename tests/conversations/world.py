"""What the conversations tests share: sending messages, a stored upload, a logged workout, a moved clock."""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import Person, Studio, run
from tests.training_world import a1_workout, log_body


def send(client: TestClient, sender: Person, client_id: int, body: str = "hello", **fields: Any) -> dict[str, Any]:
    response = client.post(f"/api/conversations/{client_id}/messages", json={"body": body, **fields},
                           headers=sender.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def page(client: TestClient, reader: Person, client_id: int, **query: Any) -> dict[str, Any]:
    response = client.get(f"/api/conversations/{client_id}/messages", params=query, headers=reader.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def threads(client: TestClient, reader: Person) -> list[dict[str, Any]]:
    response = client.get("/api/conversations", headers=reader.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


def add_file(client: TestClient, owner: Person, client_id: int | None) -> str:
    """A stored upload's row (what POST /api/files/upload leaves behind), owned by `owner`, about `client_id`."""
    filename = f"{uuid.uuid4().hex}.pdf"
    run(client, client.app.state.db.execute, "tests.insert_file", filename=filename,  # type: ignore[attr-defined]
        owner_id=owner.id, client_id=client_id, size=10, now=clock.now())
    return filename


def logged_workout(client: TestClient, studio: Studio) -> dict[str, Any]:
    """Client A1's workout from trainer A, logged by A1."""
    squat, workout = a1_workout(client, studio)
    response = client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                           headers=studio.client_a1.headers)
    assert response.status_code == 201, response.text
    return workout


def move_clock(monkeypatch: pytest.MonkeyPatch, to: dt.datetime) -> None:
    """Every clock.now() (and clock.today()) of the app answers `to` from now on."""
    monkeypatch.setattr(clock, "now", lambda: to.replace(microsecond=0))


def move_client(client: TestClient, admin: Person, moved: Person, trainer: Person) -> None:
    response = client.put(f"/api/users/{moved.id}", json={"trainer_id": trainer.id}, headers=admin.headers)
    assert response.status_code == 200, response.text

"""Helpers shared by the training tests (exercises, workouts, logs): a small library and a workout of client A1."""
from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.helpers import Person, Studio


def make_exercise(client: TestClient, by: Person, name: str = "Back Squat", **fields: Any) -> dict[str, Any]:
    response = client.post("/api/exercises", json={"name": name, **fields}, headers=by.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def make_workout(client: TestClient, by: Person, client_id: int, exercises: list[dict[str, Any]] | None = None,
                 **fields: Any) -> dict[str, Any]:
    body = {"client_id": client_id, "title": "Lower body", "scheduled_for": "2026-03-02", **fields}
    if exercises is not None:
        body["exercises"] = exercises
    response = client.post("/api/workouts", json=body, headers=by.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def a1_workout(client: TestClient, studio: Studio) -> tuple[dict[str, Any], dict[str, Any]]:
    """Trainer A's squat, and a workout of it for client A1: 3 x 5 at 100 kg."""
    squat = make_exercise(client, studio.trainer_a, muscle_group="legs", equipment="barbell")
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id,
                           [{"exercise_id": squat["id"], "sets": 3, "reps": 5, "weight_kg": 100, "rest_seconds": 180}])
    return squat, workout


def log_body(exercise_id: int, *sets: tuple[int, float | None], performed_at: str = "2026-03-02T18:00:00Z",
             **fields: Any) -> dict[str, Any]:
    return {"performed_at": performed_at, **fields,
            "sets": [{"exercise_id": exercise_id, "set_number": n, "reps": reps, "weight_kg": weight}
                     for n, (reps, weight) in enumerate(sets, start=1)]}


def admin_view(client: TestClient, studio: Studio, path: str) -> Any:
    """What an admin sees at `path`: the state a refused request must not have changed."""
    response = client.get(path, headers=studio.admin.headers)
    return response.status_code, response.json()

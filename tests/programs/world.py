"""Helpers the programs tests share: a program body, a program made through the API, a clock the test moves."""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.testclient import TestClient

from tests.helpers import Person
from tests.training_world import make_exercise

MONDAY = dt.date(2026, 3, 2)  # a Monday in the past: logs and weigh-ins may be dated on any day around it


def line(exercise_id: int, **fields: Any) -> dict[str, Any]:
    return {"exercise_id": exercise_id, "sets": 3, "reps": 5, **fields}


def program_body(exercise_ids: list[int], *, weeks: int = 2, days: tuple[int, ...] = (1, 3),
                 lines: int = 2, **fields: Any) -> dict[str, Any]:
    """`weeks` weeks with a workout on each of `days`, each of `lines` lines cycling through the exercises."""
    workouts = [{"week": week, "day": day, "title": f"W{week}D{day}",
                 "exercises": [line(exercise_ids[n % len(exercise_ids)]) for n in range(lines)]}
                for week in range(1, weeks + 1) for day in days]
    return {"title": "Strength base", "weeks": weeks, "workouts": workouts, **fields}


def make_program(client: TestClient, by: Person, body: dict[str, Any] | None = None,
                 exercise_ids: list[int] | None = None) -> dict[str, Any]:
    if body is None:
        ids = exercise_ids or [make_exercise(client, by, "Squat")["id"], make_exercise(client, by, "Row")["id"]]
        body = program_body(ids)
    response = client.post("/api/programs", json=body, headers=by.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def assign(client: TestClient, by: Person, program_id: int, client_ids: list[int],
           start: dt.date = MONDAY) -> dict[str, Any]:
    response = client.post(f"/api/programs/{program_id}/assign",
                           json={"client_ids": client_ids, "start_date": start.isoformat()}, headers=by.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def workouts_of(client: TestClient, by: Person, client_id: int) -> list[dict[str, Any]]:
    response = client.get(f"/api/workouts?client_id={client_id}&limit=100", headers=by.headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


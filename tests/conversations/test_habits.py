"""Habits: given by the trainer, ticked by the client once a day (idempotent), weekly completion and streaks."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.conversations.world import move_clock
from tests.helpers import Person, Studio, assert_error

MONDAY = dt.datetime(2026, 3, 2, 8, 0, tzinfo=clock.UTC)


def give(client: TestClient, trainer: Person, who: Person, **fields: Any) -> dict[str, Any]:
    body = {"client_id": who.id, "title": "Walk", **fields}
    response = client.post("/api/habits", json=body, headers=trainer.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def tick(client: TestClient, who: Person, habit_id: int, day: dt.date, **body: Any) -> Any:
    return client.put(f"/api/habits/{habit_id}/ticks/{day.isoformat()}", json=body, headers=who.headers)


@pytest.fixture
def monday(monkeypatch: pytest.MonkeyPatch) -> None:
    move_clock(monkeypatch, MONDAY)


def test_tick_is_idempotent_per_day(client: TestClient, studio: Studio, monday: None) -> None:
    a1 = studio.client_a1
    habit = give(client, studio.trainer_a, a1, title="Steps", target_value=8000, target_unit="steps")
    first = tick(client, a1, habit["id"], MONDAY.date(), value=6500)
    assert first.status_code == 200, first.text
    assert first.json() == {"habit_id": habit["id"], "day": "2026-03-02", "value": 6500, "done": False}
    again = tick(client, a1, habit["id"], MONDAY.date(), value=9100)  # the same day: changes the value only
    assert again.json()["done"] is True
    history = client.get(f"/api/habits/{habit['id']}/history", headers=a1.headers).json()
    assert [(t["day"], t["value"]) for t in history["ticks"]] == [("2026-03-02", 9100)]
    assert history["weeks"][0] == {"week_start": "2026-03-02", "done": 1, "goal": 7, "percent": 14}


def test_ticks_only_within_the_window(client: TestClient, studio: Studio, monday: None) -> None:
    a1 = studio.client_a1
    habit = give(client, studio.trainer_a, a1, start_date="2026-02-20")
    for day in (MONDAY.date() + dt.timedelta(days=1), MONDAY.date() - dt.timedelta(days=8), "2026-02-30"):
        response = client.put(f"/api/habits/{habit['id']}/ticks/{day}", json={}, headers=a1.headers)
        assert assert_error(response, 422)["detail"][0]["loc"] == ["path", "day"], day
    assert tick(client, a1, habit["id"], MONDAY.date() - dt.timedelta(days=7)).status_code == 200


def test_only_the_client_ticks_their_habit(client: TestClient, studio: Studio, monday: None) -> None:
    habit = give(client, studio.trainer_a, studio.client_a1)
    assert_error(tick(client, studio.trainer_a, habit["id"], MONDAY.date()), 403)
    assert_error(tick(client, studio.client_a2, habit["id"], MONDAY.date()), 404)
    assert_error(tick(client, studio.client_b1, habit["id"], MONDAY.date()), 404)


def test_a_week_of_ticks_makes_a_streak_and_a_full_week(client: TestClient, studio: Studio,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    a1 = studio.client_a1
    move_clock(monkeypatch, MONDAY)
    habit = give(client, studio.trainer_a, a1, title="Drink 2 l of water")
    for day in range(7):
        move_clock(monkeypatch, MONDAY + dt.timedelta(days=day))
        assert tick(client, a1, habit["id"], MONDAY.date() + dt.timedelta(days=day)).status_code == 200
    seen = client.get(f"/api/habits?client_id={a1.id}", headers=studio.trainer_a.headers).json()["items"][0]
    assert seen["this_week"] == {"week_start": "2026-03-02", "done": 7, "goal": 7, "percent": 100}
    assert seen["streak"] == 7 and seen["streak_unit"] == "days" and seen["ticked_today"] is True


def test_weekly_habit_counts_weeks(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    a1 = studio.client_a1
    move_clock(monkeypatch, MONDAY)
    habit = give(client, studio.trainer_a, a1, title="Yoga", cadence="weekly", times_per_week=2)
    for offset in (0, 3, 7, 9):
        move_clock(monkeypatch, MONDAY + dt.timedelta(days=offset))
        tick(client, a1, habit["id"], MONDAY.date() + dt.timedelta(days=offset))
    seen = client.get(f"/api/habits/{habit['id']}", headers=a1.headers).json()
    assert seen["streak"] == 2 and seen["streak_unit"] == "weeks" and seen["this_week"]["percent"] == 100


def test_untick_takes_the_day_back(client: TestClient, studio: Studio, monday: None) -> None:
    a1 = studio.client_a1
    habit = give(client, studio.trainer_a, a1)
    tick(client, a1, habit["id"], MONDAY.date())
    path = f"/api/habits/{habit['id']}/ticks/{MONDAY.date().isoformat()}"
    assert client.delete(path, headers=a1.headers).status_code == 204
    assert client.get(f"/api/habits/{habit['id']}", headers=a1.headers).json()["ticked_today"] is False


def test_weekly_habit_needs_its_number(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/habits", json={"client_id": studio.client_a1.id, "title": "Yoga",
                                                 "cadence": "weekly"}, headers=studio.trainer_a.headers)
    assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "times_per_week"]
    other = client.post("/api/habits", json={"client_id": studio.client_b1.id, "title": "x"},
                        headers=studio.trainer_a.headers)
    assert_error(other, 404)


def test_archived_habit_is_not_ticked_nor_listed(client: TestClient, studio: Studio, monday: None) -> None:
    a1 = studio.client_a1
    habit = give(client, studio.trainer_a, a1)
    archived = client.put(f"/api/habits/{habit['id']}", json={"archived": True}, headers=studio.trainer_a.headers)
    assert archived.status_code == 200 and archived.json()["archived_at"] is not None
    assert client.get("/api/habits", headers=a1.headers).json()["total"] == 0
    assert client.get("/api/habits?archived=true", headers=a1.headers).json()["total"] == 1
    assert_error(tick(client, a1, habit["id"], MONDAY.date()), 404)

"""A list's `total` from COUNT(*) OVER () on the page's own rows (sql/training/workouts/page_*.sql,
sql/progress/entries/page.sql): the same answers as a COUNT statement of its own, and the statements saved.

The edges are where the page has no rows to carry the total: nothing matched (0), or an offset past the end (a
COUNT still runs), and, for a client's progress, a client the caller may not see (still a 404, never an empty page).
"""
from __future__ import annotations

import datetime as dt

from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error

TODAY = dt.date.today()


def _exercise(client: TestClient, studio: Studio) -> int:
    response = client.post("/api/exercises", headers=studio.trainer_a.headers,
                           json={"name": "Page total squat", "muscle_group": "legs", "equipment": "barbell"})
    assert response.status_code == 201, response.text
    return response.json()["id"]  # type: ignore[no-any-return]


def _statements(client: TestClient, path: str, headers: dict[str, str]) -> tuple[dict, int]:  # type: ignore[type-arg]
    db = client.app.state.db  # type: ignore[attr-defined]
    before = db.stats.count - db.stats.by_name.get("accounts.auth.session", 0)
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), db.stats.count - db.stats.by_name.get("accounts.auth.session", 0) - before


def test_workout_list_total_on_every_page_and_past_the_end(client: TestClient, studio: Studio) -> None:
    base = f"/api/workouts?client_id={studio.client_a1.id}"
    empty, _ = _statements(client, base, studio.trainer_a.headers)
    assert empty["items"] == [] and empty["total"] == 0
    squat = _exercise(client, studio)
    for n in range(5):
        response = client.post("/api/workouts", headers=studio.trainer_a.headers, json={
            "client_id": studio.client_a1.id, "title": f"Session {n}",
            "scheduled_for": (TODAY + dt.timedelta(days=n)).isoformat(),
            "exercises": [{"exercise_id": squat, "sets": 3}]})
        assert response.status_code == 201, response.text
    first, statements = _statements(client, base + "&limit=2", studio.trainer_a.headers)
    assert [item["title"] for item in first["items"]] == ["Session 0", "Session 1"] and first["total"] == 5
    assert statements == 2  # the page (with its total) and the exercises of its workouts: no COUNT
    last, _ = _statements(client, base + "&limit=2&offset=4", studio.trainer_a.headers)
    assert len(last["items"]) == 1 and last["total"] == 5 and "total" not in last["items"][0]
    past, _ = _statements(client, base + "&limit=2&offset=10", studio.trainer_a.headers)
    assert past == {"items": [], "total": 5, "limit": 2, "offset": 10}
    planned, _ = _statements(client, base + "&status=skipped", studio.trainer_a.headers)
    assert planned["total"] == 0
    mine, _ = _statements(client, "/api/workouts?limit=1", studio.client_a1.headers)
    assert mine["total"] == 5 and len(mine["items"]) == 1
    everyone, _ = _statements(client, "/api/workouts?limit=1", studio.admin.headers)
    assert everyone["total"] == 5


def test_progress_list_total_visibility_and_past_the_end(client: TestClient, studio: Studio) -> None:
    base = f"/api/progress?client_id={studio.client_a1.id}"
    empty, _ = _statements(client, base, studio.trainer_a.headers)
    assert empty["items"] == [] and empty["total"] == 0
    for n in range(3):
        response = client.post("/api/progress", headers=studio.client_a1.headers,
                               json={"date": (TODAY - dt.timedelta(days=n)).isoformat(), "weight_kg": 80 + n})
        assert response.status_code == 201, response.text
    page, statements = _statements(client, base + "&limit=2", studio.trainer_a.headers)
    assert page["total"] == 3 and [item["weight_kg"] for item in page["items"]] == [80, 81]
    assert statements == 1  # the page proves the client visible and carries the total
    assert "total" not in page["items"][0]
    past, _ = _statements(client, base + "&limit=2&offset=5", studio.trainer_a.headers)
    assert past == {"items": [], "total": 3, "limit": 2, "offset": 5}
    own, _ = _statements(client, "/api/progress?limit=1", studio.client_a1.headers)
    assert own["total"] == 3
    # Not one of the caller's clients: a 404 whether or not the page would have rows.
    assert_error(client.get(base, headers=studio.trainer_b.headers), 404)
    assert_error(client.get(f"/api/progress?client_id={studio.client_b1.id}", headers=studio.trainer_a.headers), 404)
    assert_error(client.get(f"/api/progress?client_id={studio.trainer_a.id}", headers=studio.admin.headers), 404)

"""The review queue, GET /api/meal-entries: pending entries across the caller's clients in one request, oldest
first, paged; reviewing one takes it off the queue; who sees which."""
from __future__ import annotations

import datetime as dt
from typing import Any

from starlette.testclient import TestClient

from tests.helpers import Person, Studio, assert_error
from tests.nutrition.test_meal_plans import plan_body

DAY = dt.date(2026, 3, 2)


def entries(client: TestClient, studio: Studio) -> dict[str, list[dict[str, Any]]]:
    """Two plans for A1, one each for A2 and B1; entries on interleaved days."""
    made: dict[str, list[dict[str, Any]]] = {}

    def plan(trainer: Person, person: Person, title: str) -> int:
        response = client.post("/api/meal-plans", json=plan_body(person.id, title=title, start_date="2026-03-01",
                                                                 end_date=None), headers=trainer.headers)
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    plans = [(studio.client_a1, plan(studio.trainer_a, studio.client_a1, "Cut")),
             (studio.client_a2, plan(studio.trainer_a, studio.client_a2, "Bulk")),
             (studio.client_a1, plan(studio.trainer_a, studio.client_a1, "Weekend")),
             (studio.client_b1, plan(studio.trainer_b, studio.client_b1, "B plan"))]
    for offset, (person, plan_id) in zip((3, 1, 2, 0), plans):
        response = client.post(f"/api/meal-plans/{plan_id}/entries", json={
            "date": (DAY + dt.timedelta(days=offset)).isoformat(), "meal_name": f"Meal {offset}"},
            headers=person.headers)
        assert response.status_code == 201, response.text
        made.setdefault(person.email, []).append(response.json())
    return made


def queue(client: TestClient, person: Person, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/meal-entries{query}", headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_trainer_sees_every_clients_pending_entries_oldest_first(client: TestClient, studio: Studio) -> None:
    entries(client, studio)
    body = queue(client, studio.trainer_a)
    assert [(e["date"], e["client_name"], e["plan_title"], e["status"]) for e in body["items"]] == [
        ("2026-03-03", "Client A2", "Bulk", "pending"), ("2026-03-04", "Client A1", "Weekend", "pending"),
        ("2026-03-05", "Client A1", "Cut", "pending")]
    assert (body["total"], body["limit"], body["offset"]) == (3, 20, 0)
    page = queue(client, studio.trainer_a, "?limit=1&offset=1")
    assert [e["date"] for e in page["items"]] == ["2026-03-04"] and page["total"] == 3
    one = queue(client, studio.trainer_a, f"?client_id={studio.client_a1.id}")
    assert [e["date"] for e in one["items"]] == ["2026-03-04", "2026-03-05"]


def test_reviewed_entry_leaves_the_queue(client: TestClient, studio: Studio) -> None:
    entries(client, studio)
    first = queue(client, studio.trainer_a)["items"][0]
    response = client.put(f"/api/meal-plans/{first['plan_id']}/entries/{first['id']}/review",
                          json={"status": "approved", "comment": "good"}, headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    assert first["id"] not in [e["id"] for e in queue(client, studio.trainer_a)["items"]]
    approved = queue(client, studio.trainer_a, "?status=approved")["items"]
    assert [(e["id"], e["review_comment"]) for e in approved] == [(first["id"], "good")]


def test_review_queue_who_sees_what(client: TestClient, studio: Studio) -> None:
    entries(client, studio)
    names = {person.id: name for name, person in studio.everyone().items()}

    def seen(person: Person, query: str = "") -> list[str]:
        return sorted(names[e["client_id"]] for e in queue(client, person, query)["items"])

    assert seen(studio.trainer_b) == ["client_b1"]
    assert seen(studio.client_a1) == ["client_a1", "client_a1"]
    assert seen(studio.client_a2) == ["client_a2"]
    assert seen(studio.client_a2, f"?client_id={studio.client_a1.id}") == ["client_a2"]  # a client: their own
    assert seen(studio.trainer_b, f"?client_id={studio.client_a1.id}") == []
    assert seen(studio.trainer_b, f"?trainer_id={studio.trainer_a.id}") == ["client_b1"]
    assert seen(studio.admin) == ["client_a1", "client_a1", "client_a2", "client_b1"]
    assert seen(studio.admin, f"?trainer_id={studio.trainer_b.id}") == ["client_b1"]
    assert_error(client.get("/api/meal-entries"), 401)
    assert_error(client.get("/api/meal-entries?status=eaten", headers=studio.admin.headers), 422)

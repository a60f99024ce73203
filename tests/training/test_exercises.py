"""The exercise library: search and filters, change by creator or admin, 409 while used, who may do what."""
from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error
from tests.training_world import a1_workout, admin_view, make_exercise


def test_exercise_create_answers_201_with_the_creator(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/exercises", json={
        "name": "Romanian Deadlift", "description": "hip hinge", "muscle_group": "Hamstrings",
        "equipment": "Barbell", "instructions": "soft knees", "video_url": "https://example.test/rdl"},
        headers=studio.trainer_a.headers)
    assert response.status_code == 201
    body = response.json()
    assert body["created_by"] == studio.trainer_a.id
    assert body["muscle_group"] == "hamstrings" and body["equipment"] == "barbell"
    assert body["created_at"] == body["updated_at"]
    assert client.get(f"/api/exercises/{body['id']}", headers=studio.client_b1.headers).json() == body


def test_exercise_list_filters_by_name_muscle_group_and_equipment(client: TestClient, studio: Studio) -> None:
    make_exercise(client, studio.trainer_a, "Back Squat", muscle_group="legs", equipment="barbell")
    make_exercise(client, studio.trainer_a, "Goblet Squat", muscle_group="legs", equipment="kettlebell")
    make_exercise(client, studio.trainer_b, "Bench Press", muscle_group="chest", equipment="barbell")
    headers = studio.client_a1.headers

    def names(query: str) -> list[str]:
        response = client.get(f"/api/exercises?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert names("q=SQUAT") == ["Back Squat", "Goblet Squat"]
    assert names("muscle_group=Legs&equipment=kettlebell") == ["Goblet Squat"]
    assert names("equipment=barbell&order=-name") == ["Bench Press", "Back Squat"]
    assert names("q=press&muscle_group=legs") == []


def test_exercise_list_has_the_list_envelope(client: TestClient, studio: Studio) -> None:
    for i in range(3):
        make_exercise(client, studio.trainer_a, f"Drill {i}")
    body = client.get("/api/exercises?limit=2&offset=1", headers=studio.trainer_b.headers).json()
    assert body["total"] == 3 and body["limit"] == 2 and body["offset"] == 1
    assert [item["name"] for item in body["items"]] == ["Drill 1", "Drill 2"]


def test_exercise_search_treats_like_wildcards_literally(client: TestClient, studio: Studio) -> None:
    make_exercise(client, studio.trainer_a, "Squat 100% effort")
    make_exercise(client, studio.trainer_a, "Squat light")
    make_exercise(client, studio.trainer_a, "Row_cable")
    make_exercise(client, studio.trainer_a, "Jump! now")
    make_exercise(client, studio.trainer_a, "Jump!! twice")

    def names(q: str) -> list[str]:
        response = client.get("/api/exercises", params={"q": q}, headers=studio.trainer_a.headers)
        assert response.status_code == 200, response.text
        return [item["name"] for item in response.json()["items"]]

    assert names("100%") == ["Squat 100% effort"]
    assert names("%") == ["Squat 100% effort"]
    assert names("_") == ["Row_cable"]  # not "any one character"
    assert names("w_c") == ["Row_cable"]
    assert names("!") == ["Jump! now", "Jump!! twice"]  # the escape character itself is a plain character
    assert names("!!") == ["Jump!! twice"]
    assert names("p! n") == ["Jump! now"]
    assert names("!%") == []  # unescaped, "!%" would be a literal % and find the 100% squat


def test_exercise_list_unknown_order_is_422(client: TestClient, studio: Studio) -> None:
    body = assert_error(client.get("/api/exercises?order=password", headers=studio.admin.headers), 422)
    assert body["detail"][0]["loc"] == ["query", "order"]


def test_exercise_update_by_creator_changes_only_the_fields_sent(client: TestClient, studio: Studio) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat", muscle_group="legs", description="deep")
    response = client.put(f"/api/exercises/{exercise['id']}", json={"name": "High-bar Squat"},
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200
    assert response.json()["name"] == "High-bar Squat"
    assert response.json()["description"] == "deep" and response.json()["muscle_group"] == "legs"


def test_exercise_update_by_admin_is_allowed(client: TestClient, studio: Studio) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat")
    response = client.put(f"/api/exercises/{exercise['id']}", json={"description": None},
                          headers=studio.admin.headers)
    assert response.status_code == 200 and response.json()["description"] is None


def test_exercise_update_by_another_trainer_is_403_and_changes_nothing(client: TestClient, studio: Studio) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat")
    assert_error(client.put(f"/api/exercises/{exercise['id']}", json={"name": "Mine now"},
                            headers=studio.trainer_b.headers), 403)
    assert admin_view(client, studio, f"/api/exercises/{exercise['id']}")[1]["name"] == "Squat"


def test_exercise_delete_by_creator_answers_204(client: TestClient, studio: Studio) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat")
    response = client.delete(f"/api/exercises/{exercise['id']}", headers=studio.trainer_a.headers)
    assert response.status_code == 204 and response.content == b""
    assert_error(client.get(f"/api/exercises/{exercise['id']}", headers=studio.trainer_a.headers), 404)


def test_exercise_used_by_a_workout_cannot_be_deleted(client: TestClient, studio: Studio) -> None:
    squat, _ = a1_workout(client, studio)
    body = assert_error(client.delete(f"/api/exercises/{squat['id']}", headers=studio.admin.headers), 409)
    assert "used by 1 workout" in body["detail"]
    assert admin_view(client, studio, f"/api/exercises/{squat['id']}")[0] == 200


def test_exercise_in_a_program_template_cannot_be_deleted(client: TestClient, studio: Studio) -> None:
    """A program line names the exercise too: its delete is the 409 of the other uses, never a foreign-key 500."""
    from tests.programs.world import program_body

    squat = make_exercise(client, studio.trainer_a, "Squat")
    response = client.post("/api/programs", json=program_body([squat["id"]], weeks=1, days=(1,), lines=1),
                           headers=studio.trainer_a.headers)
    assert response.status_code == 201, response.text
    body = assert_error(client.delete(f"/api/exercises/{squat['id']}", headers=studio.trainer_a.headers), 409)
    assert "1 program line(s)" in body["detail"]


def test_exercise_missing_is_404(client: TestClient, studio: Studio) -> None:
    for method in ("GET", "PUT", "DELETE"):
        response = client.request(method, "/api/exercises/999999", headers=studio.admin.headers,
                                  json={"name": "x"} if method == "PUT" else None)
        assert_error(response, 404)


@pytest.mark.parametrize("body", [
    {"name": ""},
    {"name": "x" * 201},
    {"name": "Squat", "created_by": 1},
    {"name": "Squat", "video_url": "javascript:alert(1)"},
    {"name": "Squat", "muscle_group": 7},
    {"description": "no name"},
])
def test_exercise_bad_body_is_422_and_writes_nothing(client: TestClient, studio: Studio,
                                                     body: dict[str, Any]) -> None:
    assert_error(client.post("/api/exercises", json=body, headers=studio.trainer_a.headers), 422)
    assert admin_view(client, studio, "/api/exercises")[1]["total"] == 0


def test_exercise_bad_update_is_422_and_changes_nothing(client: TestClient, studio: Studio) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat")
    assert_error(client.put(f"/api/exercises/{exercise['id']}", json={"name": "ok", "id": 5},
                            headers=studio.trainer_a.headers), 422)
    assert admin_view(client, studio, f"/api/exercises/{exercise['id']}")[1] == exercise


# Who may do what to trainer A's exercise. Anonymous: 401 everywhere; clients may read, never change.
PEOPLE = ("trainer_a", "trainer_b", "client_a1", "client_a2", "client_b1", "admin", "anonymous")
MATRIX = {
    "list": (200, 200, 200, 200, 200, 200, 401),
    "get": (200, 200, 200, 200, 200, 200, 401),
    "create": (201, 201, 403, 403, 403, 201, 401),
    "update": (200, 403, 403, 403, 403, 200, 401),
    "delete": (204, 403, 403, 403, 403, 204, 401),
}


@pytest.mark.parametrize("action,who,expected", [
    (action, who, statuses[i]) for action, statuses in MATRIX.items() for i, who in enumerate(PEOPLE)])
def test_exercise_authorization_matrix(client: TestClient, studio: Studio, action: str, who: str,
                                       expected: int) -> None:
    exercise = make_exercise(client, studio.trainer_a, "Squat")
    headers = {} if who == "anonymous" else getattr(studio, who).headers
    path = f"/api/exercises/{exercise['id']}"
    before = admin_view(client, studio, "/api/exercises")
    response = {
        "list": lambda: client.get("/api/exercises", headers=headers),
        "get": lambda: client.get(path, headers=headers),
        "create": lambda: client.post("/api/exercises", json={"name": "Lunge"}, headers=headers),
        "update": lambda: client.put(path, json={"name": "Changed"}, headers=headers),
        "delete": lambda: client.delete(path, headers=headers),
    }[action]()
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert_error(response, expected)
        assert admin_view(client, studio, "/api/exercises") == before

"""Programs: create, read, change, copy, delete, the library; the lines' fields and the rules across them; who may."""
from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error
from tests.programs.world import assign, line, make_program, program_body
from tests.training_world import make_exercise


@pytest.fixture
def exercises(client: TestClient, studio: Studio) -> list[int]:
    return [make_exercise(client, studio.trainer_a, name)["id"] for name in ("Squat", "Bench", "Row")]


def test_program_is_created_with_its_templates_and_lines_in_order(client: TestClient, studio: Studio,
                                                                   exercises: list[int]) -> None:
    body = {"title": "Hypertrophy", "description": "4 weeks", "weeks": 4, "workouts": [
        {"week": 2, "day": 1, "title": "Lower", "exercises": [
            line(exercises[0], position=2, reps=None, reps_min=8, reps_max=12, rpe=8, tempo="3-1-x-0",
                 weight_kg=60, progression_pct=2.5),
            line(exercises[1], position=1, set_type="warmup", superset_group="A", rir=2)]},
        {"week": 1, "day": 3, "title": "Upper B", "position": 2},
        {"week": 1, "day": 3, "title": "Upper A", "position": 1, "notes": "easy",
         "exercises": [line(exercises[2], reps=None, duration_seconds=600, distance_m=2000, sets=1)]},
    ]}
    program = make_program(client, studio.trainer_a, body)
    assert program["owner_id"] == studio.trainer_a.id and program["weeks"] == 4
    assert program["workout_count"] == 3 and program["active_clients"] == 0
    slots = [(w["week"], w["day"], w["position"], w["title"]) for w in program["workouts"]]
    assert slots == [(1, 3, 1, "Upper A"), (1, 3, 2, "Upper B"), (2, 1, 1, "Lower")]
    lower = program["workouts"][2]["exercises"]
    assert [(x["position"], x["exercise_name"]) for x in lower] == [(1, "Bench"), (2, "Squat")]
    assert lower[0] | {"set_type": "warmup", "superset_group": "A", "rir": 2, "rpe": None} == lower[0]
    assert {k: lower[1][k] for k in ("reps", "reps_min", "reps_max", "rpe", "tempo", "weight_kg",
                                     "progression_pct", "set_type")} == {
        "reps": None, "reps_min": 8, "reps_max": 12, "rpe": 8, "tempo": "3-1-X-0", "weight_kg": 60,
        "progression_pct": 2.5, "set_type": "normal"}
    cardio = program["workouts"][0]["exercises"][0]
    assert (cardio["duration_seconds"], cardio["distance_m"], cardio["reps"]) == (600, 2000, None)
    assert client.get(f"/api/programs/{program['id']}", headers=studio.trainer_a.headers).json() == program


@pytest.mark.parametrize(("change", "loc"), [
    ({"week": 5}, ["body", "workouts", 0, "week"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "reps": 5, "reps_min": 3}]},
     ["body", "workouts", 0, "exercises", 0, "reps"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "reps_min": 9, "reps_max": 6}]},
     ["body", "workouts", 0, "exercises", 0, "reps_min"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "rpe": 8, "rir": 2}]},
     ["body", "workouts", 0, "exercises", 0, "rir"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "progression_kg": 2.5}]},
     ["body", "workouts", 0, "exercises", 0, "weight_kg"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "weight_kg": 50, "progression_kg": 2, "progression_pct": 2}]},
     ["body", "workouts", 0, "exercises", 0, "progression_pct"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "tempo": "slow"}]}, ["body", "workouts", 0, "exercises", 0, "tempo"]),
    ({"exercises": [{"exercise_id": 1, "sets": 3, "set_type": "giant"}]},
     ["body", "workouts", 0, "exercises", 0, "set_type"]),
    ({"exercises": [{"exercise_id": 999999, "sets": 3}]}, ["body", "workouts", 0, "exercises", 0, "exercise_id"]),
    ({"day": 8}, ["body", "workouts", 0, "day"]),
])
def test_bad_program_is_a_422_naming_the_field(client: TestClient, studio: Studio, exercises: list[int],
                                               change: dict[str, Any], loc: list[Any]) -> None:
    template = {"week": 1, "day": 1, "title": "A", **change}
    for item in template.get("exercises", []):
        if item["exercise_id"] == 1:
            item["exercise_id"] = exercises[0]
    response = client.post("/api/programs", json={"title": "P", "weeks": 4, "workouts": [template]},
                           headers=studio.trainer_a.headers)
    body = assert_error(response, 422)
    assert [problem["loc"] for problem in body["detail"]] == [loc]
    assert client.get("/api/programs", headers=studio.trainer_a.headers).json()["total"] == 0


def test_a_day_holds_at_most_20_workouts(client: TestClient, studio: Studio) -> None:
    day = [{"week": 1, "day": 2, "title": f"Session {n}"} for n in range(21)]
    response = client.post("/api/programs", json={"title": "P", "weeks": 1, "workouts": day},
                           headers=studio.trainer_a.headers)
    assert [p["loc"] for p in assert_error(response, 422)["detail"]] == [["body", "workouts", 20]]
    made = make_program(client, studio.trainer_a, {"title": "P", "weeks": 1, "workouts": day[:20]})
    assert [w["position"] for w in made["workouts"]] == list(range(1, 21))


def test_update_replaces_the_templates_only_when_sent(client: TestClient, studio: Studio,
                                                      exercises: list[int]) -> None:
    program = make_program(client, studio.trainer_a, program_body(exercises, weeks=3))
    path, headers = f"/api/programs/{program['id']}", studio.trainer_a.headers
    renamed = client.put(path, json={"title": "Renamed"}, headers=headers).json()
    assert renamed["title"] == "Renamed" and renamed["workouts"] == program["workouts"]
    assert_error(client.put(path, json={"weeks": 2}, headers=headers), 422)  # week 3 still holds workouts
    replaced = client.put(path, json={"weeks": 1, "workouts": [{"week": 1, "day": 7, "title": "Only"}]},
                          headers=headers)
    assert replaced.status_code == 200, replaced.text
    assert [(w["week"], w["day"], w["title"], w["exercises"]) for w in replaced.json()["workouts"]] == [
        (1, 7, "Only", [])]
    assert replaced.json()["weeks"] == 1 and replaced.json()["workout_count"] == 1


def test_copy_is_the_callers_with_every_template_and_line(client: TestClient, studio: Studio,
                                                         exercises: list[int]) -> None:
    program = make_program(client, studio.trainer_a, program_body(exercises, weeks=2, lines=3))
    response = client.post(f"/api/programs/{program['id']}/copy", json={}, headers=studio.admin.headers)
    assert response.status_code == 201, response.text
    copy = response.json()
    assert copy["id"] != program["id"] and copy["owner_id"] == studio.admin.id
    assert copy["title"] == "Strength base (copy)"

    def shape(p: dict[str, Any]) -> list[Any]:
        return [({**w, "id": None}) for w in p["workouts"]]

    assert shape(copy) == shape(program)
    named = client.post(f"/api/programs/{program['id']}/copy", json={"title": "Mine"},
                        headers=studio.trainer_a.headers).json()
    assert named["title"] == "Mine" and named["owner_id"] == studio.trainer_a.id


def test_library_lists_the_callers_programs_by_title_and_admins_see_all(client: TestClient, studio: Studio,
                                                                        exercises: list[int]) -> None:
    for title in ("Zeta", "alpha"):
        make_program(client, studio.trainer_a, program_body(exercises, title=title))
    b_ex = make_exercise(client, studio.trainer_b, "Press")["id"]
    make_program(client, studio.trainer_b, program_body([b_ex], title="Beta"))

    def titles(person: Any, query: str = "") -> list[str]:
        response = client.get(f"/api/programs{query}", headers=person.headers)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert titles(studio.trainer_a) == ["alpha", "Zeta"]
    assert titles(studio.trainer_b) == ["Beta"]
    assert titles(studio.admin) == ["alpha", "Beta", "Zeta"]
    assert titles(studio.admin, f"?owner_id={studio.trainer_b.id}") == ["Beta"]
    assert titles(studio.trainer_a, f"?owner_id={studio.trainer_b.id}") == []
    assert titles(studio.trainer_a, "?q=ALP") == ["alpha"]
    assert titles(studio.trainer_a, "?q=%25") == []  # a LIKE wildcard is a character like any other


def test_program_held_by_a_client_is_not_deleted(client: TestClient, studio: Studio, today: Any) -> None:
    program = make_program(client, studio.trainer_a)
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id])
    path = f"/api/programs/{program['id']}"
    assert_error(client.delete(path, headers=studio.trainer_a.headers), 409)
    client.post(f"{path}/unassign", json={"client_ids": [studio.client_a1.id]}, headers=studio.trainer_a.headers)
    assert client.delete(path, headers=studio.trainer_a.headers).status_code == 204
    assert_error(client.get(path, headers=studio.trainer_a.headers), 404)


# --- who may ---

def test_programs_authorization_matrix(client: TestClient, studio: Studio, exercises: list[int]) -> None:
    """Trainer A's program: A and admins reach it; trainer B finds nothing (404); clients may never (403);
    anonymous is a 401."""
    program = make_program(client, studio.trainer_a, program_body(exercises))
    pid = program["id"]
    requests = {
        "list": ("GET", "/api/programs", None),
        "create": ("POST", "/api/programs", {"title": "X", "weeks": 1}),
        "get": ("GET", f"/api/programs/{pid}", None),
        "update": ("PUT", f"/api/programs/{pid}", {"title": "Y"}),
        "copy": ("POST", f"/api/programs/{pid}/copy", {}),
        "assignments": ("GET", f"/api/programs/{pid}/assignments", None),
        "unassign": ("POST", f"/api/programs/{pid}/unassign", {"client_ids": [studio.client_a1.id]}),
        "delete": ("DELETE", f"/api/programs/{pid}", None),
    }
    expected = {
        "trainer_a": {"list": 200, "create": 201, "get": 200, "update": 200, "copy": 201, "assignments": 200,
                      "unassign": 200, "delete": 204},
        "trainer_b": {"list": 200, "create": 201, "get": 404, "update": 404, "copy": 404, "assignments": 404,
                      "unassign": 404, "delete": 404},
        "client_a1": dict.fromkeys(requests, 403), "client_a2": dict.fromkeys(requests, 403),
        "client_b1": dict.fromkeys(requests, 403), "anonymous": dict.fromkeys(requests, 401),
    }
    for who in ("anonymous", "client_a1", "client_a2", "client_b1", "trainer_b", "trainer_a"):
        headers = {} if who == "anonymous" else getattr(studio, who).headers
        for name, (method, path, body) in requests.items():
            response = client.request(method, path, json=body, headers=headers)
            assert response.status_code == expected[who][name], (who, name, response.text)
            if response.status_code >= 400:
                assert_error(response, response.status_code)
    # the admin reaches any program (the one above is gone: trainer A deleted it last)
    other = make_program(client, studio.trainer_b, program_body([make_exercise(client, studio.trainer_b)["id"]]))
    assert client.get(f"/api/programs/{other['id']}", headers=studio.admin.headers).status_code == 200
    assert client.put(f"/api/programs/{other['id']}", json={"title": "By admin"},
                      headers=studio.admin.headers).json()["title"] == "By admin"

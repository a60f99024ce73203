"""Logging what was lifted (once per workout, prescribed beside done) and the exercise history charts read."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import Studio, assert_error
from tests.training_world import a1_workout, admin_view, log_body, make_exercise, make_workout


def test_log_by_the_client_completes_the_workout(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    response = client.post(f"/api/workouts/{workout['id']}/log",
                           json=log_body(squat["id"], (5, 100), (5, 100), (4, 100), duration_minutes=55, rating=4,
                                         notes="last rep slow"),
                           headers=studio.client_a1.headers)
    assert response.status_code == 201, response.text
    log = response.json()
    assert (log["workout_id"], log["client_id"], log["logged_by"]) == (workout["id"], studio.client_a1.id,
                                                                       studio.client_a1.id)
    assert (log["performed_at"], log["duration_minutes"], log["rating"]) == ("2026-03-02T18:00:00Z", 55, 4)
    assert [(s["set_number"], s["reps"], s["prescribed_reps"], s["weight_kg"], s["prescribed_weight_kg"])
            for s in log["sets"]] == [(1, 5, 5, 100.0, 100.0), (2, 5, 5, 100.0, 100.0), (3, 4, 5, 100.0, 100.0)]
    done = client.get(f"/api/workouts/{workout['id']}", headers=studio.trainer_a.headers).json()
    assert done["status"] == "completed" and done["completed_at"] == "2026-03-02T18:00:00Z"
    assert client.get(f"/api/workouts/{workout['id']}/log", headers=studio.trainer_a.headers).json() == log


def test_log_by_the_trainer_records_who_logged(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    log = client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                      headers=studio.trainer_a.headers).json()
    assert log["logged_by"] == studio.trainer_a.id and log["client_id"] == studio.client_a1.id


def test_log_keeps_each_rows_prescription_for_an_exercise_listed_twice(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id, [
        {"exercise_id": squat["id"], "sets": 2, "reps": 3, "weight_kg": 120},
        {"exercise_id": squat["id"], "sets": 1, "reps": 10, "weight_kg": 80}])
    log = client.post(f"/api/workouts/{workout['id']}/log",
                      json=log_body(squat["id"], (3, 120), (3, 120), (10, 80), (8, 80)),
                      headers=studio.client_a1.headers).json()
    assert [(s["prescribed_reps"], s["prescribed_weight_kg"]) for s in log["sets"]] == [
        (3, 120.0), (3, 120.0), (10, 80.0), (None, None)]


def test_log_of_an_exercise_not_in_the_workout_has_no_prescription(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    lunge = make_exercise(client, studio.trainer_b, "Lunge")
    log = client.post(f"/api/workouts/{workout['id']}/log", json=log_body(lunge["id"], (12, None)),
                      headers=studio.client_a1.headers).json()
    assert log["sets"][0]["prescribed_reps"] is None and log["sets"][0]["weight_kg"] is None


def test_log_a_second_time_is_409_and_adds_nothing(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    first = client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                        headers=studio.client_a1.headers).json()
    assert_error(client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 140)),
                             headers=studio.trainer_a.headers), 409)
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[1] == first


def test_log_at_once_from_many_requests_lands_exactly_once(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)

    def post(i: int) -> int:
        return client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100 + i)),
                           headers=studio.client_a1.headers).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = sorted(pool.map(post, range(6)))
    assert statuses == [201, 409, 409, 409, 409, 409]
    assert len(admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[1]["sets"]) == 1


def test_log_before_logging_is_404(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    assert_error(client.get(f"/api/workouts/{workout['id']}/log", headers=studio.client_a1.headers), 404)
    assert_error(client.get("/api/workouts/999999/log", headers=studio.admin.headers), 404)


@pytest.mark.parametrize("change,loc", [
    ({"rating": 6}, ["body", "rating"]), ({"rating": 0}, ["body", "rating"]),
    ({"duration_minutes": 1441}, ["body", "duration_minutes"]),
    ({"performed_at": "2999-01-01T00:00:00Z"}, ["body", "performed_at"]),
    ({"set": {"rpe": 11}}, ["body", "sets", 0, "rpe"]), ({"set": {"rpe": 0.5}}, ["body", "sets", 0, "rpe"]),
    ({"set": {"reps": -1}}, ["body", "sets", 0, "reps"]), ({"set": {"reps": 1001}}, ["body", "sets", 0, "reps"]),
    ({"set": {"weight_kg": 1000.5}}, ["body", "sets", 0, "weight_kg"]),
    ({"set": {"set_number": 0}}, ["body", "sets", 0, "set_number"]),
    ({"set": {"exercise_id": 987654}}, ["body", "sets", 0, "exercise_id"]),
    ({"set": {"tempo": 3}}, ["body", "sets", 0, "tempo"]),
])
def test_log_bad_body_is_422_and_writes_nothing(client: TestClient, studio: Studio, change: dict[str, Any],
                                                loc: list[Any]) -> None:
    squat, workout = a1_workout(client, studio)
    body = log_body(squat["id"], (5, 100))
    body["sets"][0].update(change.pop("set", {}))
    body.update(change)
    problems = assert_error(client.post(f"/api/workouts/{workout['id']}/log", json=body,
                                        headers=studio.client_a1.headers), 422)["detail"]
    assert loc in [problem["loc"] for problem in problems]
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}")[1]["status"] == "planned"
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[0] == 404


def test_log_with_10000_sets_is_refused(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    body = {"sets": [{"exercise_id": squat["id"], "set_number": 1 + i % 100, "reps": 5} for i in range(10_000)]}
    problems = assert_error(client.post(f"/api/workouts/{workout['id']}/log", json=body,
                                        headers=studio.client_a1.headers), 422)["detail"]
    assert problems[0]["loc"] == ["body", "sets"]
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[0] == 404


def test_log_repeating_a_set_is_422(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    body = log_body(squat["id"], (5, 100))
    body["sets"].append(dict(body["sets"][0]))
    problems = assert_error(client.post(f"/api/workouts/{workout['id']}/log", json=body,
                                        headers=studio.client_a1.headers), 422)["detail"]
    assert problems[0]["loc"] == ["body", "sets", 1, "set_number"]
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[0] == 404


def _log_week(client: TestClient, studio: Studio) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Three squat sessions for client A1: 3x5 at 100, then 3x5 at 105 with a 6-rep set, then a light day."""
    squat = make_exercise(client, studio.trainer_a)
    sessions = [("2026-03-02", [(5, 100), (5, 100), (5, 100)]), ("2026-03-04", [(5, 105), (6, 105), (5, 105)]),
                ("2026-03-06", [(10, 60), (10, 60)])]
    workouts = []
    for day, sets in sessions:
        workout = make_workout(client, studio.trainer_a, studio.client_a1.id,
                               [{"exercise_id": squat["id"], "sets": len(sets), "reps": 5, "weight_kg": 100}],
                               scheduled_for=day)
        response = client.post(f"/api/workouts/{workout['id']}/log",
                               json=log_body(squat["id"], *sets, performed_at=f"{day}T18:00:00Z"),
                               headers=studio.client_a1.headers)
        assert response.status_code == 201, response.text
        workouts.append(workout)
    return squat, workouts


def test_history_shows_best_set_volume_e1rm_and_records(client: TestClient, studio: Studio) -> None:
    squat, workouts = _log_week(client, studio)
    response = client.get(f"/api/exercises/{squat['id']}/history?client_id={studio.client_a1.id}",
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    history = response.json()
    assert history["exercise_id"] == squat["id"] and history["client_id"] == studio.client_a1.id
    sessions = history["sessions"]
    assert [s["workout_id"] for s in sessions] == [w["id"] for w in workouts]
    assert [s["volume_kg"] for s in sessions] == [1500.0, 1680.0, 1200.0]
    assert [s["e1rm_kg"] for s in sessions] == [116.67, 126.0, 80.0]  # 100x(1+5/30), 105x(1+6/30), 60x(1+10/30)
    assert sessions[1]["best_set"] == {"set_number": 2, "reps": 6, "weight_kg": 105.0, "e1rm_kg": 126.0}
    assert (sessions[2]["sets"], sessions[2]["reps"], sessions[2]["heaviest_kg"]) == (2, 20, 60.0)
    records = history["records"]
    assert records["e1rm_kg"]["value"] == 126.0 and records["e1rm_kg"]["workout_id"] == workouts[1]["id"]
    assert records["heaviest_kg"]["value"] == 105.0 and records["volume_kg"]["value"] == 1680.0
    assert records["most_reps"] == {"value": 10, "performed_at": "2026-03-06T18:00:00Z",
                                    "workout_id": workouts[2]["id"], "log_id": sessions[2]["log_id"]}


def test_history_date_range_keeps_all_time_records(client: TestClient, studio: Studio) -> None:
    squat, _ = _log_week(client, studio)
    history = client.get(f"/api/exercises/{squat['id']}/history?from=2026-03-05&to=2026-03-06",
                         headers=studio.client_a1.headers).json()
    assert [s["performed_at"] for s in history["sessions"]] == ["2026-03-06T18:00:00Z"]
    assert history["records"]["e1rm_kg"]["value"] == 126.0


def test_history_up_to_the_last_day_of_the_calendar_is_every_session(client: TestClient, studio: Studio) -> None:
    squat, workouts = _log_week(client, studio)
    response = client.get(f"/api/exercises/{squat['id']}/history?to=9999-12-31", headers=studio.client_a1.headers)
    assert response.status_code == 200, response.text
    assert [s["workout_id"] for s in response.json()["sessions"]] == [w["id"] for w in workouts]


def test_history_before_any_log_is_empty(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    history = client.get(f"/api/exercises/{squat['id']}/history", headers=studio.client_a2.headers).json()
    assert history["sessions"] == [] and set(history["records"].values()) == {None}


def test_history_for_a_trainer_needs_a_client_id(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    body = assert_error(client.get(f"/api/exercises/{squat['id']}/history", headers=studio.trainer_a.headers), 422)
    assert body["detail"][0]["loc"] == ["query", "client_id"]


def test_history_of_a_missing_exercise_is_404(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/exercises/999999/history", headers=studio.client_a1.headers), 404)


@pytest.mark.parametrize("who,expected", [("trainer_a", 200), ("trainer_b", 404), ("client_a1", 200),
                                          ("client_a2", 404), ("client_b1", 404), ("admin", 200),
                                          ("anonymous", 401)])
def test_history_authorization_matrix(client: TestClient, studio: Studio, who: str, expected: int) -> None:
    squat, _ = _log_week(client, studio)
    headers = {} if who == "anonymous" else getattr(studio, who).headers
    response = client.get(f"/api/exercises/{squat['id']}/history?client_id={studio.client_a1.id}", headers=headers)
    assert response.status_code == expected, response.text
    if expected == 200:
        assert len(response.json()["sessions"]) == 3
    else:
        assert_error(response, expected)

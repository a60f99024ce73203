"""Workouts: create, list, read, change, delete, copy; bad input; events; the cost and plans of the list queries."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.db.database import Database
from elior.live.events import Event
from tests.helpers import Studio, assert_error, run, statements_run
from tests.training_world import a1_workout, admin_view, log_body, make_exercise, make_workout


def test_workout_create_stores_exercises_as_ordered_rows(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a, "Squat")
    press = make_exercise(client, studio.trainer_a, "Press")
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id, notes="warm up first", exercises=[
        {"exercise_id": press["id"], "position": 2, "sets": 3, "reps": 8, "weight_kg": 40},
        {"exercise_id": squat["id"], "position": 1, "sets": 5, "reps": 5, "weight_kg": 102.5, "rest_seconds": 180,
         "notes": "belt"},
    ])
    assert workout["client_id"] == studio.client_a1.id and workout["trainer_id"] == studio.trainer_a.id
    assert workout["status"] == "planned" and workout["completed_at"] is None
    assert workout["scheduled_for"] == "2026-03-02" and workout["created_at"] == workout["updated_at"]
    assert [(e["exercise_id"], e["position"], e["sets"], e["weight_kg"]) for e in workout["exercises"]] == [
        (squat["id"], 1, 5, 102.5), (press["id"], 2, 3, 40.0)]
    assert workout["exercises"][0]["notes"] == "belt" and workout["exercises"][0]["exercise_name"] == "Squat"
    assert client.get(f"/api/workouts/{workout['id']}", headers=studio.client_a1.headers).json() == workout


def test_workout_exercises_read_back_exactly_as_written_in_every_answer(client: TestClient, studio: Studio) -> None:
    # The database writes each exercise row's JSON (sql/shared/workout_exercise_fields.sql): text that needs escaping,
    # fractions, nulls and every field must come back the same from the write, the GET and the list.
    name = 'Front "squat" \\ Kniebeuge — 深蹲'
    lift = make_exercise(client, studio.trainer_a, name)
    notes = 'line one\nline two\t"quoted" \\ back\u0001slash — תרגיל'
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id, exercises=[
        {"exercise_id": lift["id"], "sets": 3, "reps": None, "weight_kg": 62.25, "rest_seconds": None,
         "notes": notes},
        {"exercise_id": lift["id"], "sets": 1, "reps": 12, "weight_kg": 0.1, "rest_seconds": 60, "notes": None},
    ])
    first, second = workout["exercises"]
    assert (first["exercise_name"], first["notes"], first["weight_kg"], first["reps"]) == (name, notes, 62.25, None)
    assert (second["weight_kg"], second["reps"], second["notes"], second["set_type"]) == (0.1, 12, None, "normal")
    assert set(first) == {"exercise_id", "exercise_name", "position", "sets", "reps", "weight_kg", "rest_seconds",
                          "notes", "reps_min", "reps_max", "rpe", "rir", "tempo", "set_type", "superset_group",
                          "duration_seconds", "distance_m"}
    got = client.get(f"/api/workouts/{workout['id']}", headers=studio.trainer_a.headers).json()
    listed = client.get(f"/api/workouts?client_id={studio.client_a1.id}",
                        headers=studio.trainer_a.headers).json()["items"]
    assert got == workout and [item for item in listed if item["id"] == workout["id"]] == [workout]


def test_workout_get_answers_the_exercises_in_position_order_and_none_as_an_empty_list(
        client: TestClient, studio: Studio) -> None:
    # The GET builds its exercise array in one statement (training/workouts/get_with_exercises): position order
    # whatever order the rows were written in, and [] (not null) for a workout without exercises.
    lifts = [make_exercise(client, studio.trainer_a, f"Lift {n}") for n in range(4)]
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id, exercises=[
        {"exercise_id": lift["id"], "position": 4 - n, "sets": n + 1} for n, lift in enumerate(lifts)])
    got = client.get(f"/api/workouts/{workout['id']}", headers=studio.client_a1.headers).json()
    assert [(item["position"], item["exercise_name"]) for item in got["exercises"]] == [
        (1, "Lift 3"), (2, "Lift 2"), (3, "Lift 1"), (4, "Lift 0")]
    assert got == workout
    empty = make_workout(client, studio.trainer_a, studio.client_a1.id, exercises=[])
    got = client.get(f"/api/workouts/{empty['id']}", headers=studio.trainer_a.headers).json()
    assert got["exercises"] == [] and got == empty
    assert_error(client.get(f"/api/workouts/{empty['id']}", headers=studio.client_a2.headers), 404)


def test_workout_get_is_one_statement(client: TestClient, studio: Studio) -> None:
    # The workout and its exercise array come back together (speed, issue 13): not the workout, then its rows.
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id, exercises=[
        {"exercise_id": make_exercise(client, studio.trainer_a, "Row")["id"], "sets": 3}])
    answers: list[Any] = []

    def read() -> None:
        answers.append(client.get(f"/api/workouts/{workout['id']}", headers=studio.trainer_a.headers).json())

    assert statements_run(client, read, "training.") == {"training.workouts.get_with_exercises": 1}
    assert answers == [workout]


def test_workout_create_by_admin_takes_the_clients_trainer(client: TestClient, studio: Studio) -> None:
    workout = make_workout(client, studio.admin, studio.client_b1.id)
    assert workout["trainer_id"] == studio.trainer_b.id


def test_workout_create_for_another_trainers_client_is_404_and_writes_nothing(client: TestClient,
                                                                               studio: Studio) -> None:
    body = assert_error(client.post("/api/workouts", json={
        "client_id": studio.client_b1.id, "title": "Sneaky", "scheduled_for": "2026-03-02"},
        headers=studio.trainer_a.headers), 404)
    assert body["detail"] == f"client {studio.client_b1.id} not found"
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 0


def test_workout_create_for_a_trainer_is_404(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/workouts", json={
        "client_id": studio.trainer_b.id, "title": "x", "scheduled_for": "2026-03-02"},
        headers=studio.admin.headers), 404)


@pytest.mark.parametrize("item,loc", [
    ({"sets": 0}, "sets"), ({"sets": 101}, "sets"), ({"reps": -1}, "reps"), ({"reps": 1001}, "reps"),
    ({"weight_kg": -0.5}, "weight_kg"), ({"weight_kg": 1000.5}, "weight_kg"), ({"rest_seconds": 3601}, "rest_seconds"),
    ({"sets": "3"}, "sets"), ({"tempo": "3-1-1"}, "tempo"),
])
def test_workout_out_of_range_exercise_is_422_and_writes_nothing(client: TestClient, studio: Studio,
                                                                 item: dict[str, Any], loc: str) -> None:
    squat = make_exercise(client, studio.trainer_a)
    response = client.post("/api/workouts", json={
        "client_id": studio.client_a1.id, "title": "x", "scheduled_for": "2026-03-02",
        "exercises": [{"exercise_id": squat["id"], "sets": 3}, {"exercise_id": squat["id"], "sets": 3, **item}]},
        headers=studio.trainer_a.headers)
    body = assert_error(response, 422)
    assert ["body", "exercises", 1, loc] in [problem["loc"] for problem in body["detail"]]
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 0


def test_workout_unknown_exercise_is_422_naming_its_index(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    body = assert_error(client.post("/api/workouts", json={
        "client_id": studio.client_a1.id, "title": "x", "scheduled_for": "2026-03-02",
        "exercises": [{"exercise_id": squat["id"], "sets": 3}, {"exercise_id": 987654, "sets": 3}]},
        headers=studio.trainer_a.headers), 422)
    assert [problem["loc"] for problem in body["detail"]] == [["body", "exercises", 1, "exercise_id"]]
    assert "987654" in body["detail"][0]["msg"]
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 0


def test_workout_with_500_exercises_is_refused(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    body = assert_error(client.post("/api/workouts", json={
        "client_id": studio.client_a1.id, "title": "x", "scheduled_for": "2026-03-02",
        "exercises": [{"exercise_id": squat["id"], "sets": 1}] * 500}, headers=studio.trainer_a.headers), 422)
    assert body["detail"][0]["loc"] == ["body", "exercises"]
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 0


def test_workout_with_100_exercises_is_accepted(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    workout = make_workout(client, studio.trainer_a, studio.client_a1.id,
                           [{"exercise_id": squat["id"], "sets": 1}] * 100)
    assert [e["position"] for e in workout["exercises"]] == list(range(1, 101))


def test_workout_duplicate_positions_are_422(client: TestClient, studio: Studio) -> None:
    squat = make_exercise(client, studio.trainer_a)
    assert_error(client.post("/api/workouts", json={
        "client_id": studio.client_a1.id, "title": "x", "scheduled_for": "2026-03-02",
        "exercises": [{"exercise_id": squat["id"], "sets": 1, "position": 1}] * 2},
        headers=studio.trainer_a.headers), 422)
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 0


def test_workout_list_filters_by_client_status_and_dates(client: TestClient, studio: Studio) -> None:
    a1, a2 = studio.client_a1.id, studio.client_a2.id
    monday = make_workout(client, studio.trainer_a, a1, scheduled_for="2026-03-02", title="Mon")
    make_workout(client, studio.trainer_a, a1, scheduled_for="2026-03-04", title="Wed", status="skipped")
    make_workout(client, studio.trainer_a, a1, scheduled_for="2026-03-09", title="Next Mon")
    make_workout(client, studio.trainer_a, a2, scheduled_for="2026-03-03", title="A2 Tue")
    headers = studio.trainer_a.headers

    def titles(query: str) -> list[str]:
        response = client.get(f"/api/workouts?{query}", headers=headers)
        assert response.status_code == 200, response.text
        return [item["title"] for item in response.json()["items"]]

    assert titles(f"client_id={a1}") == ["Mon", "Wed", "Next Mon"]
    assert titles(f"client_id={a1}&from=2026-03-02&to=2026-03-08") == ["Mon", "Wed"]
    assert titles("status=skipped") == ["Wed"]
    assert titles("from=2026-03-03&to=2026-03-04") == ["A2 Tue", "Wed"]
    assert titles(f"client_id={a1}&order=-scheduled_for") == ["Next Mon", "Wed", "Mon"]
    assert titles("order=title") == ["A2 Tue", "Mon", "Next Mon", "Wed"]
    assert client.get(f"/api/workouts?client_id={a1}&limit=1", headers=headers).json()["items"][0] == monday


def test_workout_list_has_the_list_envelope(client: TestClient, studio: Studio) -> None:
    for day in range(1, 6):
        make_workout(client, studio.trainer_a, studio.client_a1.id, scheduled_for=f"2026-03-0{day}")
    body = client.get("/api/workouts?limit=2&offset=2", headers=studio.client_a1.headers).json()
    assert (body["total"], body["limit"], body["offset"]) == (5, 2, 2)
    assert [item["scheduled_for"] for item in body["items"]] == ["2026-03-03", "2026-03-04"]


def test_workout_list_of_a_client_is_their_own_only(client: TestClient, studio: Studio) -> None:
    make_workout(client, studio.trainer_a, studio.client_a1.id)
    make_workout(client, studio.trainer_a, studio.client_a2.id)
    make_workout(client, studio.trainer_b, studio.client_b1.id)
    own = client.get("/api/workouts", headers=studio.client_a1.headers).json()
    assert [item["client_id"] for item in own["items"]] == [studio.client_a1.id]
    other = client.get(f"/api/workouts?client_id={studio.client_a2.id}", headers=studio.client_a1.headers).json()
    assert other["items"] == [] and other["total"] == 0
    trainer_b = client.get("/api/workouts", headers=studio.trainer_b.headers).json()
    assert [item["client_id"] for item in trainer_b["items"]] == [studio.client_b1.id]
    assert client.get("/api/workouts", headers=studio.admin.headers).json()["total"] == 3


@pytest.mark.parametrize("query", ["order=client_id", "order=-password", "status=done", "limit=101",
                                   "from=2026-03-09&to=2026-03-01", "from=yesterday", "client=4"])
def test_workout_list_bad_query_is_422(client: TestClient, studio: Studio, query: str) -> None:
    assert_error(client.get(f"/api/workouts?{query}", headers=studio.trainer_a.headers), 422)


def test_workout_update_changes_fields_and_replaces_exercises(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    press = make_exercise(client, studio.trainer_a, "Press")
    response = client.put(f"/api/workouts/{workout['id']}", json={
        "title": "Upper body", "scheduled_for": "2026-03-03", "status": "skipped",
        "exercises": [{"exercise_id": press["id"], "sets": 4, "reps": 6, "weight_kg": 50}]},
        headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["title"], changed["scheduled_for"], changed["status"]) == ("Upper body", "2026-03-03", "skipped")
    assert [(e["exercise_id"], e["position"], e["sets"]) for e in changed["exercises"]] == [(press["id"], 1, 4)]
    assert client.get(f"/api/workouts/{workout['id']}", headers=studio.client_a1.headers).json() == changed


def test_workout_update_without_exercises_keeps_them(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    changed = client.put(f"/api/workouts/{workout['id']}", json={"notes": "go light"},
                         headers=studio.admin.headers).json()
    assert changed["notes"] == "go light" and changed["exercises"] == workout["exercises"]
    assert changed["title"] == workout["title"] and changed["scheduled_for"] == workout["scheduled_for"]


@pytest.mark.parametrize("body", [
    {"status": "completed"}, {"client_id": 1}, {"title": ""}, {"scheduled_for": "2026-02-30"},
    {"exercises": [{"exercise_id": 999999, "sets": 1}]}, {"exercises": [{"exercise_id": 1, "sets": 1, "rpe": 5}]},
])
def test_workout_bad_update_is_422_and_changes_nothing(client: TestClient, studio: Studio,
                                                       body: dict[str, Any]) -> None:
    _, workout = a1_workout(client, studio)
    assert_error(client.put(f"/api/workouts/{workout['id']}", json=body, headers=studio.trainer_a.headers), 422)
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}")[1] == workout


def test_workout_status_of_a_logged_workout_cannot_change(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                headers=studio.client_a1.headers)
    assert_error(client.put(f"/api/workouts/{workout['id']}", json={"status": "planned"},
                            headers=studio.trainer_a.headers), 409)
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}")[1]["status"] == "completed"


def test_workout_delete_answers_204(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    response = client.delete(f"/api/workouts/{workout['id']}", headers=studio.trainer_a.headers)
    assert response.status_code == 204 and response.content == b""
    assert_error(client.get(f"/api/workouts/{workout['id']}", headers=studio.admin.headers), 404)


def test_workout_delete_of_a_logged_workout_is_409(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                headers=studio.client_a1.headers)
    assert_error(client.delete(f"/api/workouts/{workout['id']}", headers=studio.admin.headers), 409)
    assert admin_view(client, studio, f"/api/workouts/{workout['id']}/log")[0] == 200


def test_workout_copy_to_another_client_and_date(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    response = client.post(f"/api/workouts/{workout['id']}/copy",
                           json={"client_id": studio.client_a2.id, "scheduled_for": "2026-03-09"},
                           headers=studio.trainer_a.headers)
    assert response.status_code == 201, response.text
    copy = response.json()
    assert copy["id"] != workout["id"] and copy["client_id"] == studio.client_a2.id
    assert copy["scheduled_for"] == "2026-03-09" and copy["status"] == "planned"
    assert copy["exercises"] == workout["exercises"] and copy["title"] == workout["title"]
    assert client.get(f"/api/workouts/{workout['id']}", headers=studio.admin.headers).json() == workout


def test_workout_copy_of_a_logged_workout_is_planned(client: TestClient, studio: Studio) -> None:
    squat, workout = a1_workout(client, studio)
    client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                headers=studio.client_a1.headers)
    copy = client.post(f"/api/workouts/{workout['id']}/copy", json={"scheduled_for": "2026-03-09"},
                       headers=studio.trainer_a.headers).json()
    assert copy["client_id"] == studio.client_a1.id and copy["status"] == "planned" and copy["completed_at"] is None


def test_workout_copy_to_another_trainers_client_is_404_and_writes_nothing(client: TestClient,
                                                                           studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    assert_error(client.post(f"/api/workouts/{workout['id']}/copy",
                             json={"client_id": studio.client_b1.id, "scheduled_for": "2026-03-09"},
                             headers=studio.trainer_a.headers), 404)
    assert admin_view(client, studio, "/api/workouts")[1]["total"] == 1


def test_workout_copy_by_admin_to_any_client(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)
    copy = client.post(f"/api/workouts/{workout['id']}/copy",
                       json={"client_id": studio.client_b1.id, "scheduled_for": "2026-03-09"},
                       headers=studio.admin.headers)
    assert copy.status_code == 201 and copy.json()["trainer_id"] == studio.trainer_b.id


def test_workout_writes_publish_their_events_after_commit(client: TestClient, studio: Studio) -> None:
    seen: list[Event] = []

    async def listen(event: Event) -> None:
        seen.append(event)

    client.app.state.events.subscribe(listen)  # type: ignore[attr-defined]
    squat, workout = a1_workout(client, studio)
    client.put(f"/api/workouts/{workout['id']}", json={"title": "Renamed"}, headers=studio.trainer_a.headers)
    client.post(f"/api/workouts/{workout['id']}/copy", json={"scheduled_for": "2026-03-09"},
                headers=studio.trainer_a.headers)
    client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                headers=studio.client_a1.headers)
    assert_error(client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                             headers=studio.client_a1.headers), 409)
    workout_events = [e for e in seen if e.type.startswith("workout.")]
    assert [e.type for e in workout_events] == ["workout.created", "workout.updated", "workout.created",
                                                "workout.completed"]
    assert {e.client_id for e in workout_events} == {studio.client_a1.id}
    assert workout_events[1].data["title"] == "Renamed" and workout_events[3].data["status"] == "completed"
    assert workout_events[3].actor_id == studio.client_a1.id


@pytest.mark.parametrize("who,query", [("trainer_a", "client_id={a1}"), ("trainer_a", ""), ("client_a1", ""),
                                       ("admin", ""), ("admin", "from=2026-01-01&to=2026-12-31")])
def test_workout_list_costs_the_same_statements_for_1_or_30_items(client: TestClient, studio: Studio, who: str,
                                                                   query: str) -> None:
    db: Database = client.app.state.db  # type: ignore[attr-defined]
    squat = make_exercise(client, studio.trainer_a)
    path = "/api/workouts?limit=100&" + query.format(a1=studio.client_a1.id)
    headers = getattr(studio, who).headers

    def statements() -> int:
        """The list's own statements (not the sign-in check, whose result is cached for a few seconds)."""
        before = db.stats.count - db.stats.by_name.get("accounts.auth.session", 0)
        response = client.get(path, headers=headers)
        assert response.status_code == 200
        return db.stats.count - db.stats.by_name.get("accounts.auth.session", 0) - before

    items = [{"exercise_id": squat["id"], "sets": 3}] * 3
    make_workout(client, studio.trainer_a, studio.client_a1.id, items)
    one = statements()
    for day in range(29):
        make_workout(client, studio.trainer_a, studio.client_a1.id, items,
                     scheduled_for=(dt.date(2026, 3, 1) + dt.timedelta(days=day)).isoformat())
    assert len(client.get(path, headers=headers).json()["items"]) == 30
    assert statements() == one == 2  # the page (carrying its total) and the exercises of every workout on it


async def _plan(db: Database, name: str, values: dict[str, Any]) -> list[str]:
    """The query plan's lines: EXPLAIN QUERY PLAN on SQLite; on PostgreSQL, EXPLAIN with sequential scans priced
    out, so that a Seq Scan left in the plan means no index can serve the query at all."""
    sql = db.sql(name)
    if db.dialect == "sqlite":
        return [row["detail"] for row in await db.raw.fetch_all("EXPLAIN QUERY PLAN " + sql, values)]
    async with db.raw.connection() as connection:
        await connection.execute("SET enable_seqscan = off")
        try:
            return [row[0] for row in await connection.fetch_all("EXPLAIN " + sql, values)]
        finally:
            await connection.execute("RESET enable_seqscan")


FULL_SCAN = re.compile(r"^SCAN (w|s|we|l)\b|Seq Scan on (workouts|set_logs|workout_exercises|workout_logs)\b")
SCOPE = {"caller_id": 2, "caller_role": "trainer"}
FILTERS = {"status": None, "date_from": clock.EARLIEST, "date_to": clock.LATEST}
PAGE = {"sort": "scheduled_for", "limit": 20, "offset": 0}
PLANNED = {
    "training.workouts.count_client": {**SCOPE, **FILTERS, "client_id": 5},
    "training.workouts.page_client": {**SCOPE, **FILTERS, "client_id": 5, **PAGE},
    "training.workouts.count_trainer": {**SCOPE, **FILTERS, "trainer_id": 2, "status": "planned"},
    "training.workouts.page_trainer": {**SCOPE, **FILTERS, "trainer_id": 2, **PAGE},
    "training.workouts.count_all": {"caller_role": "admin", **FILTERS, "date_from": dt.date(2026, 3, 2),
                           "date_to": dt.date(2026, 3, 8)},
    "training.workouts.page_all": {"caller_role": "admin", **FILTERS, "date_from": dt.date(2026, 3, 2),
                          "date_to": dt.date(2026, 3, 8), **PAGE},
    "training.workouts.exercises_of": {**SCOPE, "ids": "[1, 2, 3]"},
    "training.workouts.get": {**SCOPE, "id": 1},
    "training.workouts.get_log": {**SCOPE, "workout_id": 1},
    "training.workouts.log_sets": {**SCOPE, "log_id": 1},
    "training.exercises.history_sessions": {**SCOPE, "client_id": 5, "exercise_id": 1},
}


@pytest.mark.parametrize("name", sorted(PLANNED))
def test_workout_queries_search_an_index(client: TestClient, studio: Studio, name: str) -> None:
    a1_workout(client, studio)  # some rows, so that the planners see real tables
    plan = run(client, _plan, client.app.state.db, name, PLANNED[name])  # type: ignore[attr-defined]
    assert plan, "no plan"
    assert [line for line in plan if FULL_SCAN.search(line.strip(" -|>`"))] == [], "\n".join(plan)


# Who may do what to client A1's workout (trainer A's client). A route the role may never use: 403 for any id.
PEOPLE = ("trainer_a", "trainer_b", "client_a1", "client_a2", "client_b1", "admin", "anonymous")
MATRIX = {
    "get": (200, 404, 200, 404, 404, 200, 401),
    "create": (201, 404, 403, 403, 403, 201, 401),
    "update": (200, 404, 403, 403, 403, 200, 401),
    "delete": (204, 404, 403, 403, 403, 204, 401),
    "copy": (201, 404, 403, 403, 403, 201, 401),
    "copy_to_b1": (404, 404, 403, 403, 403, 201, 401),
    "log": (201, 404, 201, 404, 404, 201, 401),
    "get_log": (200, 404, 200, 404, 404, 200, 401),
    "list": (200, 200, 200, 200, 200, 200, 401),
}


def _act(client: TestClient, studio: Studio, action: str, headers: dict[str, str], workout: dict[str, Any],
         squat: dict[str, Any]) -> Any:
    path = f"/api/workouts/{workout['id']}"
    a1, b1 = studio.client_a1.id, studio.client_b1.id
    return {
        "get": lambda: client.get(path, headers=headers),
        "create": lambda: client.post("/api/workouts", json={"client_id": a1, "title": "New",
                                                             "scheduled_for": "2026-03-05"}, headers=headers),
        "update": lambda: client.put(path, json={"title": "Changed"}, headers=headers),
        "delete": lambda: client.delete(path, headers=headers),
        "copy": lambda: client.post(f"{path}/copy", json={"scheduled_for": "2026-03-09"}, headers=headers),
        "copy_to_b1": lambda: client.post(f"{path}/copy", json={"client_id": b1, "scheduled_for": "2026-03-09"},
                                          headers=headers),
        "log": lambda: client.post(f"{path}/log", json=log_body(squat["id"], (5, 100)), headers=headers),
        "get_log": lambda: client.get(f"{path}/log", headers=headers),
        "list": lambda: client.get(f"/api/workouts?client_id={a1}", headers=headers),
    }[action]()


@pytest.mark.parametrize("action,who,expected", [
    (action, who, statuses[i]) for action, statuses in MATRIX.items() for i, who in enumerate(PEOPLE)])
def test_workout_authorization_matrix(client: TestClient, studio: Studio, action: str, who: str,
                                      expected: int) -> None:
    squat, workout = a1_workout(client, studio)
    if action == "get_log":
        client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)),
                    headers=studio.client_a1.headers)
    headers = {} if who == "anonymous" else getattr(studio, who).headers
    before = [admin_view(client, studio, path) for path in
              ("/api/workouts", f"/api/workouts/{workout['id']}/log")]
    response = _act(client, studio, action, headers, workout, squat)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert_error(response, expected)
        after = [admin_view(client, studio, path) for path in
                 ("/api/workouts", f"/api/workouts/{workout['id']}/log")]
        assert after == before
    if action == "list" and expected == 200:
        sees_a1 = who in ("trainer_a", "client_a1", "admin")
        assert [item["id"] for item in response.json()["items"]] == ([workout["id"]] if sees_a1 else [])

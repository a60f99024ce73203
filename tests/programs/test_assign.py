"""Assigning programs: the workouts each client gets, progression, re-assigning and un-assigning (logged workouts
stay), all or nothing per client, the event it publishes, and who may."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from elior.live.events import Event
from tests.helpers import Person, Studio, assert_error, make_person, run
from tests.programs.world import MONDAY, assign, line, make_program, program_body, workouts_of
from tests.training_world import make_exercise

Today = Callable[[dt.date], None]


def calendar(client: TestClient, by: Person, client_id: int, start: dt.date = MONDAY,
             days: int = 28) -> list[dict[str, Any]]:
    end = start + dt.timedelta(days=days - 1)
    response = client.get(f"/api/calendar?client_id={client_id}&from={start}&to={end}", headers=by.headers)
    assert response.status_code == 200, response.text
    return [w for day in response.json()["days"] for w in day["workouts"]]


def raw(client: TestClient, sql: str, **values: Any) -> list[dict[str, Any]]:
    db = client.app.state.db  # type: ignore[attr-defined]
    return [dict(row._mapping) for row in run(client, db.raw.fetch_all, sql, values)]


def log_workout(client: TestClient, by: Person, workout_id: int, day: dt.date) -> None:
    response = client.post(f"/api/workouts/{workout_id}/log", json={"performed_at": f"{day}T18:00:00Z"},
                           headers=by.headers)
    assert response.status_code == 201, response.text


@pytest.fixture
def squat(client: TestClient, studio: Studio) -> int:
    return int(make_exercise(client, studio.trainer_a, "Squat")["id"])


def test_assign_schedules_every_template_on_its_day_for_each_client(client: TestClient, studio: Studio,
                                                                    squat: int, today: Today) -> None:
    program = make_program(client, studio.trainer_a, program_body([squat], weeks=2, days=(1, 3), lines=2))
    result = assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    assert result["failed"] == [] and result["start_date"] == "2026-03-02"
    assert [(a["client_id"], a["workouts"], a["removed"]) for a in result["assigned"]] == [
        (studio.client_a1.id, 4, 0), (studio.client_a2.id, 4, 0)]
    for person in (studio.client_a1, studio.client_a2):
        scheduled = calendar(client, studio.trainer_a, person.id)
        assert [(w["scheduled_for"], w["title"], w["week"], w["day"], w["program_id"], w["program_title"],
                 w["exercise_count"], w["status"]) for w in scheduled] == [
            ("2026-03-02", "W1D1", 1, 1, program["id"], "Strength base", 2, "planned"),
            ("2026-03-04", "W1D3", 1, 3, program["id"], "Strength base", 2, "planned"),
            ("2026-03-09", "W2D1", 2, 1, program["id"], "Strength base", 2, "planned"),
            ("2026-03-11", "W2D3", 2, 3, program["id"], "Strength base", 2, "planned")]
        assert {w["assignment_id"] for w in scheduled} == {a["id"] for a in result["assigned"]
                                                          if a["client_id"] == person.id}
    workout = client.get(f"/api/workouts/{scheduled[0]['id']}", headers=studio.client_a2.headers).json()
    assert workout["trainer_id"] == studio.trainer_a.id
    assert [(x["exercise_id"], x["position"], x["sets"], x["reps"]) for x in workout["exercises"]] == [
        (squat, 1, 3, 5), (squat, 2, 3, 5)]
    listed = client.get(f"/api/programs/{program['id']}/assignments", headers=studio.trainer_a.headers).json()
    assert {(a["client_id"], a["workouts"], a["ended_at"]) for a in listed["items"]} == {
        (studio.client_a1.id, 4, None), (studio.client_a2.id, 4, None)}


def test_progression_and_the_new_line_fields_reach_the_workouts(client: TestClient, studio: Studio, squat: int,
                                                                today: Today) -> None:
    lines = [line(squat, weight_kg=100, progression_kg=2.5, rpe=8, tempo="3-1-1-0", superset_group="A"),
             line(squat, reps=None, reps_min=8, reps_max=12, weight_kg=60, progression_pct=10, rir=2,
                  set_type="amrap"),
             line(squat, reps=None, duration_seconds=300, distance_m=1500, sets=1)]
    body = {"title": "Ramp", "weeks": 3, "workouts": [{"week": w, "day": 1, "title": f"Week {w}", "exercises": lines}
                                                      for w in (1, 2, 3)]}
    program = make_program(client, studio.trainer_a, body)
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id])
    rows = raw(client, "SELECT w.week, we.position, we.weight_kg, we.reps, we.reps_min, we.reps_max, we.rpe, "
                       "we.rir, we.tempo, we.set_type, we.superset_group, we.duration_seconds, we.distance_m "
                       "FROM workouts w JOIN workout_exercises we ON we.workout_id = w.id "
                       "WHERE w.client_id = :client_id ORDER BY w.week, we.position", client_id=studio.client_a1.id)
    # by hand: 100 kg + 2.5 kg a week; 60 kg + 10 % of 60 kg a week; no weight, no progression
    assert [(r["week"], r["position"], r["weight_kg"]) for r in rows] == [
        (1, 1, 100), (1, 2, 60), (1, 3, None), (2, 1, 102.5), (2, 2, 66), (2, 3, None),
        (3, 1, 105), (3, 2, 72), (3, 3, None)]
    first, ranged, timed = rows[:3]
    assert (first["rpe"], first["tempo"], first["superset_group"], first["set_type"]) == (8, "3-1-1-0", "A",
                                                                                         "normal")
    assert (ranged["reps"], ranged["reps_min"], ranged["reps_max"], ranged["rir"], ranged["set_type"]) == (
        None, 8, 12, 2, "amrap")
    assert (timed["duration_seconds"], timed["distance_m"], timed["reps"]) == (300, 1500, None)
    # ... and the client reads them through the workouts API, on the workout and on a copy of it.
    week_one = next(w for w in workouts_of(client, studio.client_a1, studio.client_a1.id) if w["title"] == "Week 1")
    shown = client.get(f"/api/workouts/{week_one['id']}", headers=studio.client_a1.headers).json()["exercises"]
    assert [(x["rpe"], x["reps_min"], x["reps_max"], x["rir"], x["set_type"], x["tempo"], x["superset_group"],
             x["duration_seconds"], x["distance_m"]) for x in shown] == [
        (8, None, None, None, "normal", "3-1-1-0", "A", None, None), (None, 8, 12, 2, "amrap", None, None, None, None),
        (None, None, None, None, "normal", None, None, 300, 1500)]
    copy = client.post(f"/api/workouts/{week_one['id']}/copy", json={"scheduled_for": "2026-04-01"},
                       headers=studio.trainer_a.headers)
    assert copy.status_code == 201, copy.text
    assert copy.json()["exercises"] == shown


def test_reassigning_replaces_only_future_unlogged_workouts(client: TestClient, studio: Studio, squat: int,
                                                           today: Today) -> None:
    program = make_program(client, studio.trainer_a, program_body([squat], weeks=2, days=(1, 3)))
    first = assign(client, studio.trainer_a, program["id"], [studio.client_a1.id])["assigned"][0]
    done, missed, *future = calendar(client, studio.trainer_a, studio.client_a1.id)
    log_workout(client, studio.client_a1, done["id"], MONDAY)
    today(dt.date(2026, 3, 9))  # a week on: 03-02 logged, 03-04 missed, 03-09 and 03-11 still to come
    again = assign(client, studio.trainer_a, program["id"], [studio.client_a1.id], start=dt.date(2026, 3, 9))
    assert again["assigned"][0]["removed"] == 2
    scheduled = calendar(client, studio.trainer_a, studio.client_a1.id)
    kept = [(w["id"], w["status"], w["missed"]) for w in scheduled if w["assignment_id"] == first["id"]]
    assert kept == [(done["id"], "completed", False), (missed["id"], "planned", True)]
    assert not {w["id"] for w in future} & {w["id"] for w in scheduled}
    fresh = [w["scheduled_for"] for w in scheduled if w["assignment_id"] == again["assigned"][0]["id"]]
    assert fresh == ["2026-03-09", "2026-03-11", "2026-03-16", "2026-03-18"]
    everyone = client.get(f"/api/programs/{program['id']}/assignments?active=false",
                          headers=studio.trainer_a.headers).json()["items"]
    assert [(a["id"], a["ended_at"] is None, a["workouts"]) for a in everyone] == [
        (again["assigned"][0]["id"], True, 4), (first["id"], False, 2)]


def test_unassign_never_removes_a_logged_workout(client: TestClient, studio: Studio, squat: int,
                                                 today: Today) -> None:
    program = make_program(client, studio.trainer_a, program_body([squat], weeks=2, days=(1, 3)))
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    a1 = calendar(client, studio.trainer_a, studio.client_a1.id)
    log_workout(client, studio.client_a1, a1[0]["id"], MONDAY)
    # logged early: a future workout done ahead of its day is history too
    log_workout(client, studio.client_a1, a1[3]["id"], MONDAY + dt.timedelta(days=1))
    today(dt.date(2026, 3, 5))
    response = client.post(f"/api/programs/{program['id']}/unassign", json={"client_ids": [studio.client_a1.id]},
                           headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    assert response.json()["items"] == [{"client_id": studio.client_a1.id, "removed": 1, "ended": 1}]
    left = [(w["id"], w["status"]) for w in calendar(client, studio.trainer_a, studio.client_a1.id)]
    assert left == [(a1[0]["id"], "completed"), (a1[1]["id"], "planned"), (a1[3]["id"], "completed")]
    for logged in (a1[0], a1[3]):
        assert client.get(f"/api/workouts/{logged['id']}/log", headers=studio.client_a1.headers).status_code == 200
    assert len(calendar(client, studio.trainer_a, studio.client_a2.id)) == 4  # the other client keeps theirs
    again = client.post(f"/api/programs/{program['id']}/unassign", json={"client_ids": [studio.client_a1.id]},
                        headers=studio.trainer_a.headers).json()
    assert again["items"] == [{"client_id": studio.client_a1.id, "removed": 0, "ended": 0}]


def _fail_inserts_for(client: TestClient, client_id: int) -> Callable[[], None]:
    """A real failure inside one client's transaction, after their workouts are written: the database refuses
    their exercise lines as it would refuse a line whose exercise was deleted meanwhile. Returns the undo."""
    db = client.app.state.db  # type: ignore[attr-defined]
    if db.dialect == "sqlite":
        statements = [f"CREATE TRIGGER fail_lines BEFORE INSERT ON workout_exercises "
                      f"WHEN (SELECT client_id FROM workouts WHERE id = NEW.workout_id) = {client_id} "
                      f"BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END"]
        undo = ["DROP TRIGGER fail_lines"]
    else:
        statements = [f"CREATE FUNCTION fail_lines() RETURNS trigger AS $$ BEGIN "
                      f"IF (SELECT client_id FROM workouts WHERE id = NEW.workout_id) = {client_id} THEN "
                      f"RAISE foreign_key_violation USING MESSAGE = 'exercise gone'; END IF; RETURN NEW; END $$ "
                      f"LANGUAGE plpgsql",
                      "CREATE TRIGGER fail_lines BEFORE INSERT ON workout_exercises FOR EACH ROW "
                      "EXECUTE FUNCTION fail_lines()"]
        undo = ["DROP TRIGGER fail_lines ON workout_exercises", "DROP FUNCTION fail_lines()"]
    for statement in statements:
        run(client, db.raw.execute, statement)
    return lambda: [run(client, db.raw.execute, statement) for statement in undo] and None


def test_a_failure_mid_way_leaves_that_client_with_nothing(client: TestClient, studio: Studio, squat: int,
                                                           today: Today) -> None:
    third = make_person(client, "client", trainer=studio.trainer_a, full_name="Client A3")
    program = make_program(client, studio.trainer_a, program_body([squat], weeks=2, days=(1, 3)))
    undo = _fail_inserts_for(client, studio.client_a2.id)
    try:
        response = client.post(f"/api/programs/{program['id']}/assign", json={
            "client_ids": [studio.client_a1.id, studio.client_a2.id, third.id], "start_date": str(MONDAY)},
            headers=studio.trainer_a.headers)
    finally:
        undo()
    assert response.status_code == 201, response.text
    body = response.json()
    assert [a["client_id"] for a in body["assigned"]] == [studio.client_a1.id, third.id]
    assert [f["client_id"] for f in body["failed"]] == [studio.client_a2.id]
    assert "nothing was written" in body["failed"][0]["detail"]
    assert calendar(client, studio.trainer_a, studio.client_a2.id) == []
    assert raw(client, "SELECT id FROM program_assignments WHERE client_id = :c", c=studio.client_a2.id) == []
    assert raw(client, "SELECT w.id FROM workouts w WHERE w.client_id = :c", c=studio.client_a2.id) == []
    for person in (studio.client_a1, third):
        scheduled = calendar(client, studio.trainer_a, person.id)
        assert [w["exercise_count"] for w in scheduled] == [2, 2, 2, 2]


def test_assign_to_a_client_not_the_callers_writes_nothing(client: TestClient, studio: Studio, squat: int,
                                                           today: Today) -> None:
    program = make_program(client, studio.trainer_a, program_body([squat]))
    response = client.post(f"/api/programs/{program['id']}/assign", json={
        "client_ids": [studio.client_a1.id, studio.client_b1.id], "start_date": str(MONDAY)},
        headers=studio.trainer_a.headers)
    assert f"client {studio.client_b1.id} not found" in assert_error(response, 404)["detail"]
    assert calendar(client, studio.admin, studio.client_a1.id) == []


@pytest.mark.parametrize(("body", "loc"), [
    ({"client_ids": [], "start_date": "2026-03-02"}, ["body", "client_ids"]),
    ({"client_ids": list(range(1, 102)), "start_date": "2026-03-02"}, ["body", "client_ids"]),
    ({"client_ids": [1], "start_date": "2026-02-28"}, ["body", "start_date"]),  # before yesterday (03-01)
    ({"client_ids": [1], "start_date": "9999-12-30"}, ["body", "start_date"]),  # its weeks run past the calendar
    ({"client_ids": [1]}, ["body", "start_date"]),
    ({"start_date": "2026-03-02"}, ["body", "client_ids"]),
])
def test_bad_assign_body_is_a_422(client: TestClient, studio: Studio, squat: int, today: Today,
                                  body: dict[str, Any], loc: list[Any]) -> None:
    program = make_program(client, studio.trainer_a, program_body([squat]))
    response = client.post(f"/api/programs/{program['id']}/assign", json=body, headers=studio.trainer_a.headers)
    assert [problem["loc"] for problem in assert_error(response, 422)["detail"]] == [loc]


def test_assign_publishes_program_assigned_and_notifies_the_client(client: TestClient, studio: Studio, squat: int,
                                                                   today: Today) -> None:
    seen: list[Event] = []

    async def listen(event: Event) -> None:
        seen.append(event)

    client.app.state.events.subscribe(listen)  # type: ignore[attr-defined]
    program = make_program(client, studio.trainer_a, program_body([squat]))
    result = assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    assigned = [e for e in seen if e.type == "program.assigned"]
    assert [(e.client_id, e.actor_id, e.data["program_id"], e.data["workouts"]) for e in assigned] == [
        (studio.client_a1.id, studio.trainer_a.id, program["id"], 4),
        (studio.client_a2.id, studio.trainer_a.id, program["id"], 4)]
    assert assigned[0].data["id"] == result["assigned"][0]["id"]
    assert [e.type for e in seen if e.type.startswith("workout.")] == []  # one event per client, not per workout
    notes = client.get("/api/notifications", headers=studio.client_a1.headers).json()["items"]
    assert [(n["type"], n["data"]["title"]) for n in notes] == [("program.assigned", "Strength base")]


def test_assign_authorization_matrix(client: TestClient, studio: Studio, squat: int, today: Today) -> None:
    program_a = make_program(client, studio.trainer_a, program_body([squat]))
    program_admin = make_program(client, studio.admin, program_body([squat]))

    def status(person: Person | None, program_id: int, client_id: int) -> int:
        response = client.post(f"/api/programs/{program_id}/assign",
                               json={"client_ids": [client_id], "start_date": str(MONDAY)},
                               headers=person.headers if person else {})
        if response.status_code >= 400:
            assert_error(response, response.status_code)
        return response.status_code

    assert status(None, program_a["id"], studio.client_a1.id) == 401
    for person in (studio.client_a1, studio.client_a2, studio.client_b1):
        assert status(person, program_a["id"], person.id) == 403
    assert status(studio.trainer_b, program_a["id"], studio.client_b1.id) == 404  # not B's program
    assert status(studio.trainer_a, program_a["id"], studio.client_b1.id) == 404  # not A's client
    assert status(studio.trainer_a, program_admin["id"], studio.client_a1.id) == 404
    assert status(studio.trainer_a, program_a["id"], studio.trainer_b.id) == 404  # not a client at all
    assert status(studio.trainer_a, program_a["id"], studio.client_a1.id) == 201
    assert status(studio.admin, program_a["id"], studio.client_b1.id) == 201
    assert status(studio.admin, program_admin["id"], studio.client_a2.id) == 201
    assert len(calendar(client, studio.admin, studio.client_b1.id)) == 4
    # trainer B does not see A's program; the admin sees every assignment of it, trainer A those of A's clients
    assert client.get(f"/api/programs/{program_a['id']}", headers=studio.trainer_b.headers).status_code == 404
    listed = client.get(f"/api/programs/{program_a['id']}/assignments", headers=studio.admin.headers).json()
    assert {a["client_id"] for a in listed["items"]} == {studio.client_a1.id, studio.client_b1.id}
    mine = client.get(f"/api/programs/{program_a['id']}/assignments", headers=studio.trainer_a.headers).json()
    assert {a["client_id"] for a in mine["items"]} == {studio.client_a1.id}

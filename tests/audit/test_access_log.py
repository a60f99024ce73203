"""The access log: a row for each read or change of a client's records by someone else, none for their own, repeats
within a minute collapsed, readable by the client and admins only, append-only in the database itself."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.app import create_app
from elior.settings import Settings
from tests.audit.world import flush, kinds, log_of, raw_all, raw_execute
from tests.bookings.world import give_credits, make_type
from tests.helpers import Studio, assert_error, make_person, run
from tests.training_world import a1_workout, log_body

TODAY = dt.date.today()


def plan_body(client_id: int) -> dict[str, Any]:
    return {"client_id": client_id, "title": "Lean bulk", "start_date": (TODAY - dt.timedelta(days=5)).isoformat(),
            "meals": [{"name": "Breakfast", "items": [
                {"food": "Oats", "quantity_g": 80, "kcal": 303, "protein_g": 10, "carbs_g": 54, "fat_g": 5}]}]}


def make_plan(client: TestClient, studio: Studio) -> dict[str, Any]:
    response = client.post("/api/meal-plans", json=plan_body(studio.client_a1.id), headers=studio.trainer_a.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def test_access_log_records_a_trainers_read_with_who_when_and_where(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio)
    response = client.get(f"/api/meal-plans/{plan['id']}", headers={**studio.trainer_a.headers,
                                                                    "User-Agent": "coach-app/2.1"})
    assert response.status_code == 200
    page = log_of(client, studio.client_a1)
    assert kinds(page) == [(studio.trainer_a.id, "meal_plans.change"), (studio.trainer_a.id, "meal_plans.read")]
    read = next(item for item in page["items"] if item["kind"] == "meal_plans.read")
    assert read["client_id"] == studio.client_a1.id
    assert read["actor_role"] == "trainer" and read["actor_name"] == "Trainer A"
    assert read["user_agent"] == "coach-app/2.1" and read["address"] == "testclient"
    assert read["created_at"].endswith("Z")
    assert (page["total"], page["limit"], page["offset"]) == (2, 20, 0)


def test_access_log_has_no_row_for_the_clients_own_reads(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio)
    flush(client)
    before = log_of(client, studio.client_a1)["total"]
    for _ in range(3):
        assert client.get(f"/api/meal-plans/{plan['id']}", headers=studio.client_a1.headers).status_code == 200
        assert client.get("/api/meal-plans", headers=studio.client_a1.headers).status_code == 200
        assert client.get(f"/api/meal-plans/{plan['id']}/entries", headers=studio.client_a1.headers).status_code == 200
    assert log_of(client, studio.client_a1)["total"] == before


def test_access_log_collapses_a_trainer_paging_a_list_into_one_row(client: TestClient, studio: Studio) -> None:
    make_plan(client, studio)
    for offset in range(5):
        assert client.get(f"/api/meal-plans?offset={offset}&limit=1",
                          headers=studio.trainer_a.headers).status_code == 200
        flush(client)  # across batches too: the collapse is by time, not by batch
    reads = [item for item in log_of(client, studio.client_a1)["items"] if item["kind"] == "meal_plans.read"]
    assert len(reads) == 1


def test_access_log_notes_each_client_of_a_list_that_spans_them(client: TestClient, studio: Studio) -> None:
    make_plan(client, studio)
    client.post("/api/meal-plans", json=plan_body(studio.client_a2.id), headers=studio.trainer_a.headers)
    assert client.get("/api/meal-plans", headers=studio.trainer_a.headers).json()["total"] == 2
    for who in (studio.client_a1, studio.client_a2):
        assert (studio.trainer_a.id, "meal_plans.read") in kinds(log_of(client, who))


def test_access_log_covers_bookings_credits_logs_and_history(client: TestClient, studio: Studio) -> None:
    kind = make_type(client, studio.admin)
    give_credits(client, studio.trainer_a, studio.client_a1, kind)
    assert client.get(f"/api/credits?client_id={studio.client_a1.id}", headers=studio.trainer_a.headers).status_code \
        == 200
    assert client.get(f"/api/appointments?client_id={studio.client_a1.id}",
                      headers=studio.admin.headers).status_code == 200
    squat, workout = a1_workout(client, studio)
    logged = client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100.0)),
                         headers=studio.trainer_a.headers)
    assert logged.status_code == 201, logged.text
    assert client.get(f"/api/workouts/{workout['id']}/log", headers=studio.admin.headers).status_code == 200
    history = client.get(f"/api/exercises/{squat['id']}/history?client_id={studio.client_a1.id}",
                         headers=studio.trainer_a.headers)
    assert history.status_code == 200, history.text
    found = set(kinds(log_of(client, studio.client_a1)))
    assert {(studio.trainer_a.id, "credits.change"), (studio.trainer_a.id, "credits.read"),
            (studio.admin.id, "appointments.read"), (studio.trainer_a.id, "workout_logs.change"),
            (studio.admin.id, "workout_logs.read"), (studio.trainer_a.id, "exercise_history.read")} <= found


def test_access_log_is_the_clients_and_admins_only(client: TestClient, studio: Studio) -> None:
    path = f"/api/clients/{studio.client_a1.id}/access-log"
    for outsider in (studio.trainer_a, studio.trainer_b, studio.client_a2, studio.client_b1):
        assert_error(client.get(path, headers=outsider.headers), 404)
    assert client.get(path, headers=studio.client_a1.headers).status_code == 200
    assert client.get(path, headers=studio.admin.headers).status_code == 200
    assert_error(client.get(f"/api/clients/{studio.trainer_a.id}/access-log", headers=studio.admin.headers), 404)
    assert_error(client.get(f"/api/clients/{2 ** 62}/access-log", headers=studio.admin.headers), 404)
    assert_error(client.get(path), 401)
    assert_error(client.get(path + "?limit=101", headers=studio.client_a1.headers), 422)
    assert_error(client.get(path + "?color=red", headers=studio.client_a1.headers), 422)


def test_access_log_an_admin_reading_it_is_itself_in_it(client: TestClient, studio: Studio) -> None:
    log_of(client, studio.client_a1, studio.admin)
    assert (studio.admin.id, "access_log.read") in kinds(log_of(client, studio.client_a1))


def test_access_log_pages_newest_first(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio)
    client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers)
    client.get(f"/api/meal-plans/{plan['id']}", headers=studio.admin.headers)
    full = log_of(client, studio.client_a1)
    first = log_of(client, studio.client_a1, limit=1)
    second = log_of(client, studio.client_a1, limit=1, offset=1)
    ids = [item["id"] for item in full["items"]]
    assert ids == sorted(ids, reverse=True) and full["total"] == 3
    assert [first["items"][0]["id"], second["items"][0]["id"]] == ids[:2]
    assert first["total"] == 3


def test_access_log_refuses_changes_in_the_database(client: TestClient, studio: Studio) -> None:
    plan = make_plan(client, studio)
    client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers)
    flush(client)
    for change in ("UPDATE access_log SET kind = 'meal_plans.change'", "UPDATE access_log SET created_at = NULL",
                   f"UPDATE access_log SET actor_id = {studio.admin.id}", "UPDATE access_log SET address = 'x'"):
        with pytest.raises(Exception, match="append-only"):
            raw_execute(client, change)


def test_access_log_keeps_the_role_when_the_reader_is_deleted(client: TestClient, studio: Studio) -> None:
    other = make_person(client, "trainer", full_name="Temp")
    plan = make_plan(client, studio)
    raw_execute(client, f"UPDATE users SET trainer_id = {other.id} WHERE id = {studio.client_a1.id}")
    assert client.get(f"/api/meal-plans/{plan['id']}", headers=other.headers).status_code == 200
    flush(client)
    raw_execute(client, f"UPDATE users SET trainer_id = {studio.trainer_a.id} WHERE id = {studio.client_a1.id}")
    assert client.delete(f"/api/users/{other.id}", headers=studio.admin.headers).status_code == 204
    rows = [item for item in log_of(client, studio.client_a1)["items"] if item["actor_role"] == "trainer"
            and item["actor_id"] is None]
    assert len(rows) == 1 and rows[0]["kind"] == "meal_plans.read" and rows[0]["actor_name"] is None


def test_access_log_rows_of_a_client_deleted_before_the_flush_are_not_written(client: TestClient,
                                                                             studio: Studio) -> None:
    plan = make_plan(client, studio)
    client.get(f"/api/meal-plans/{plan['id']}", headers=studio.trainer_a.headers)
    assert client.delete(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers).status_code == 204
    flush(client)  # the batch still goes in: only the deleted client's rows are left out
    assert raw_all(client, f"SELECT id FROM access_log WHERE client_id = {studio.client_a1.id}") == []


def test_access_log_written_by_the_writer_task_and_at_shutdown(settings: Settings) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        trainer = make_person(client, "trainer")
        who = make_person(client, "client", trainer=trainer)
        body = plan_body(who.id)
        assert client.post("/api/meal-plans", json=body, headers=trainer.headers).status_code == 201
    # No flush by the test: the lifespan's shutdown wrote the batch.
    with TestClient(create_app(settings)) as client:
        rows = raw_all(client, f"SELECT kind FROM access_log WHERE client_id = {who.id}")
    assert rows == [{"kind": "meal_plans.change"}]


def test_access_log_off_records_nothing(settings: Settings) -> None:
    app = create_app(settings.with_overrides(access_log=False))
    with TestClient(app) as client:
        trainer = make_person(client, "trainer")
        who = make_person(client, "client", trainer=trainer)
        assert client.post("/api/meal-plans", json=plan_body(who.id), headers=trainer.headers).status_code == 201
        assert client.get("/api/meal-plans", headers=trainer.headers).status_code == 200
        run(client, app.state.access_log.flush)
        assert client.get(f"/api/clients/{who.id}/access-log", headers=who.headers).json()["total"] == 0


def test_access_log_a_noted_id_that_is_no_client_writes_nothing(client: TestClient, studio: Studio) -> None:
    writer = client.app.state.access_log  # type: ignore[attr-defined]
    writer.add(studio.admin.id, "admin", studio.trainer_b.id, "profile.read", "127.0.0.1", "pytest")
    flush(client)
    assert raw_all(client, "SELECT id FROM access_log WHERE client_id = :id", id=studio.trainer_b.id) == []


def test_access_log_queue_is_bounded_and_counts_what_it_drops(settings: Settings, monkeypatch: Any) -> None:
    from elior.audit import writer as writer_module

    monkeypatch.setattr(writer_module, "MAX_PENDING", 3)
    writer = writer_module.AccessLog(settings, None)  # type: ignore[arg-type]  # nothing here touches the database
    for client_id in range(1, 6):
        assert writer.fresh(7, client_id, "progress.read")
        writer.add(7, "trainer", client_id, "progress.read", "127.0.0.1", "pytest")
    assert [row["client_id"] for row in writer.pending] == [3, 4, 5]
    assert writer.figures() == {"written": 0, "collapsed": 0, "dropped": 2, "pending": 3}
    assert not writer.fresh(7, 5, "progress.read") and writer.collapsed == 1



def test_access_log_covers_workouts_and_progress(client: TestClient, studio: Studio) -> None:
    _, workout = a1_workout(client, studio)  # the trainer writes it: a change
    a1 = studio.client_a1.id
    assert client.get(f"/api/workouts?client_id={a1}", headers=studio.trainer_a.headers).status_code == 200
    assert client.get(f"/api/workouts/{workout['id']}", headers=studio.admin.headers).status_code == 200
    entry = client.post("/api/progress", json={"client_id": a1, "date": "2026-03-01", "weight_kg": 80},
                        headers=studio.trainer_a.headers)
    assert entry.status_code == 201, entry.text
    assert client.get(f"/api/progress?client_id={a1}", headers=studio.admin.headers).status_code == 200
    assert client.delete(f"/api/progress/{entry.json()['id']}", headers=studio.admin.headers).status_code == 204
    found = set(kinds(log_of(client, studio.client_a1)))
    assert {(studio.trainer_a.id, "workouts.change"), (studio.trainer_a.id, "workouts.read"),
            (studio.admin.id, "workouts.read"), (studio.trainer_a.id, "progress.change"),
            (studio.admin.id, "progress.read"), (studio.admin.id, "progress.change")} <= found
    own = client.get("/api/workouts", headers=studio.client_a1.headers)  # the client's own reads: no row
    assert own.status_code == 200 and {who for who, _ in found} == {studio.trainer_a.id, studio.admin.id}


def test_access_log_covers_profiles_and_files(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1.id
    assert client.get(f"/api/users/{a1}", headers=studio.trainer_a.headers).status_code == 200
    assert client.get("/api/users?role=client", headers=studio.admin.headers).status_code == 200
    assert client.get(f"/api/files?client_id={a1}", headers=studio.trainer_a.headers).status_code == 200
    assert client.get(f"/api/users/{studio.trainer_a.id}", headers=studio.admin.headers).status_code == 200
    found = set(kinds(log_of(client, studio.client_a1)))
    assert {(studio.trainer_a.id, "profile.read"), (studio.admin.id, "profile.read")} <= found
    assert log_of(client, studio.client_a2)["total"] >= 1  # the admin's list named every client on it

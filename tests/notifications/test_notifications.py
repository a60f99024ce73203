"""Notifications: the contract's rules for who is told, storage, and the REST endpoints (list, read, read-all)."""
from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.live.events import Event
from elior.notifications.inbox import RULES
from tests.helpers import Person, Studio, assert_error, make_person, run


def emit(client: TestClient, kind: str, about: Person, actor: Person | None, **data: Any) -> None:
    event = Event(kind, {"id": 7, **data}, about.id, actor.id if actor else None)
    run(client, client.app.state.events.emit, event)  # type: ignore[attr-defined]


def notifications(client: TestClient, person: Person, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/notifications{query}", headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize("kind, told", [
    ("workout.created", "client_a1"), ("workout.updated", "client_a1"), ("meal_entry.reviewed", "client_a1"),
    ("workout.completed", "trainer_a"), ("meal_entry.created", "trainer_a"), ("progress.created", "trainer_a"),
])
def test_contract_rule_stores_one_notification_for_the_right_person(client: TestClient, studio: Studio, kind: str,
                                                                     told: str) -> None:
    actor = studio.admin  # neither the client nor the trainer, so nobody is skipped as the actor
    emit(client, kind, studio.client_a1, actor, title="Legs", meal_name="Lunch", status="approved")
    counts = {name: notifications(client, person)["total"] for name, person in studio.everyone().items()}
    assert counts == {name: int(name == told) for name in counts}
    (item,) = notifications(client, getattr(studio, told))["items"]
    assert item["type"] == kind and item["read_at"] is None
    assert item["data"]["client_id"] == studio.client_a1.id and item["data"]["id"] == 7 and item["data"]["message"]


# Every field some sentence of RULES reads, so the browser can build each sentence in the user's language.
EVERY_FIELD = {"title": "Legs", "meal_name": "Lunch", "scheduled_for": "2026-12-03", "status": "attended",
               "date": "2026-11-20", "start_date": "2026-12-07", "sender_name": "Tess Trainer",
               "author_name": "Tess Trainer", "type_name": "Personal training", "starts_at": "2026-12-04T10:00:00Z",
               "when": "Fri 4 Dec 2026, 10:00", "late_cancel": True}


@pytest.mark.parametrize("kind", sorted(RULES))
def test_the_data_carries_every_field_its_sentence_reads(client: TestClient, studio: Studio, kind: str) -> None:
    """The sentence made again from the stored data alone (as the browser does) is the one the server wrote."""
    emit(client, kind, studio.client_a1, studio.admin, **EVERY_FIELD, created_by=studio.client_a1.id)
    told = studio.client_a1 if RULES[kind][0] in ("client", "other") else studio.trainer_a
    (item,) = notifications(client, told)["items"]
    data = item["data"]
    who = {"client_id": data["client_id"], "client_name": data["client_name"]}
    assert RULES[kind][1](data, who) == data["message"]
    assert {**data, **EVERY_FIELD, "created_by": studio.client_a1.id} == data  # each field kept, unchanged


def test_a_booking_keeps_who_booked_and_a_late_cancel(client: TestClient, studio: Studio) -> None:
    emit(client, "appointment.booked", studio.client_a1, studio.client_a1, type_name="PT", when="Fri 4 Dec 2026, 10:00",
         created_by=studio.client_a1.id)
    emit(client, "appointment.cancelled", studio.client_a1, studio.client_a1, type_name="PT", when="Fri 4 Dec",
         late_cancel=True)
    cancelled, booked = notifications(client, studio.trainer_a)["items"]
    assert booked["data"]["created_by"] == booked["data"]["client_id"] == studio.client_a1.id
    assert booked["data"]["message"].endswith(f" by {booked['data']['client_name']}")
    assert cancelled["data"]["late_cancel"] is True and cancelled["data"]["message"].startswith("Cancelled (late): ")


def test_events_without_a_rule_store_nothing(client: TestClient, studio: Studio) -> None:
    emit(client, "progress.updated", studio.client_a1, studio.client_a1)
    assert all(notifications(client, p)["total"] == 0 for p in studio.everyone().values())


def test_nobody_is_notified_of_their_own_action(client: TestClient, studio: Studio) -> None:
    emit(client, "workout.completed", studio.client_a1, studio.trainer_a, title="logged by the trainer")
    assert notifications(client, studio.trainer_a)["total"] == 0


def test_client_without_trainer_notifies_no_trainer(client: TestClient, studio: Studio) -> None:
    loner = make_person(client, "client")
    emit(client, "progress.created", loner, loner)
    assert all(notifications(client, p)["total"] == 0 for p in [loner, *studio.everyone().values()])


def test_workout_created_through_the_api_notifies_the_client(client: TestClient, studio: Studio) -> None:
    workout = client.post("/api/workouts", headers=studio.trainer_a.headers, json={
        "client_id": studio.client_a1.id, "title": "Leg day", "scheduled_for": "2026-12-03"})
    assert workout.status_code == 201, workout.text
    (item,) = notifications(client, studio.client_a1, "?unread=true")["items"]
    assert item["type"] == "workout.created" and item["data"]["id"] == workout.json()["id"]
    assert "Leg day" in item["data"]["message"]


def test_progress_created_through_the_api_notifies_the_trainer(client: TestClient, studio: Studio) -> None:
    entry = client.post("/api/progress", headers=studio.client_a1.headers,
                        json={"date": "2026-11-20", "weight_kg": 80.5})
    assert entry.status_code == 201, entry.text
    (item,) = notifications(client, studio.trainer_a)["items"]
    assert item["type"] == "progress.created" and item["data"]["id"] == entry.json()["id"]
    assert notifications(client, studio.client_a1)["total"] == 0


def test_list_has_the_envelope_newest_first_and_pages(client: TestClient, studio: Studio) -> None:
    for title in ("one", "two", "three"):
        emit(client, "workout.updated", studio.client_a1, studio.trainer_a, title=title)
    page = notifications(client, studio.client_a1, "?limit=2&offset=1")
    assert set(page) == {"items", "total", "limit", "offset"}
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)
    assert [item["data"]["title"] for item in page["items"]] == ["two", "one"]
    assert set(page["items"][0]) == {"id", "type", "data", "created_at", "read_at"}


def test_list_over_100_is_a_422(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/notifications?limit=101", headers=studio.client_a1.headers), 422)


def test_list_unknown_query_is_a_422(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/notifications?user_id=1", headers=studio.client_a1.headers), 422)


def test_list_needs_a_signed_in_caller(client: TestClient) -> None:
    assert_error(client.get("/api/notifications"), 401)


def test_list_shows_only_the_callers_own(client: TestClient, studio: Studio) -> None:
    emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    emit(client, "workout.created", studio.client_a2, studio.trainer_a)
    mine = notifications(client, studio.client_a2)["items"]
    assert len(mine) == 1 and mine[0]["data"]["client_id"] == studio.client_a2.id
    assert notifications(client, studio.trainer_b)["total"] == 0
    assert notifications(client, studio.admin)["total"] == 0


def test_mark_read_removes_it_from_unread(client: TestClient, studio: Studio) -> None:
    emit(client, "workout.created", studio.client_a1, studio.trainer_a, title="first")
    emit(client, "workout.created", studio.client_a1, studio.trainer_a, title="second")
    first = notifications(client, studio.client_a1)["items"][-1]
    response = client.post(f"/api/notifications/{first['id']}/read", headers=studio.client_a1.headers)
    assert response.status_code == 204 and response.content == b""
    unread = notifications(client, studio.client_a1, "?unread=true")
    assert unread["total"] == 1 and unread["items"][0]["data"]["title"] == "second"
    everything = notifications(client, studio.client_a1, "?unread=false")["items"]
    assert [item["read_at"] is not None for item in everything] == [False, True]


def test_mark_read_twice_keeps_the_first_time(client: TestClient, studio: Studio) -> None:
    emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    (item,) = notifications(client, studio.client_a1)["items"]
    path = f"/api/notifications/{item['id']}/read"
    assert client.post(path, headers=studio.client_a1.headers).status_code == 204
    (read,) = notifications(client, studio.client_a1)["items"]
    assert client.post(path, headers=studio.client_a1.headers).status_code == 204
    assert notifications(client, studio.client_a1)["items"][0]["read_at"] == read["read_at"]


def test_mark_read_of_someone_elses_is_a_404_and_changes_nothing(client: TestClient, studio: Studio) -> None:
    emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    (item,) = notifications(client, studio.client_a1)["items"]
    for other in (studio.client_a2, studio.trainer_a, studio.admin):
        assert_error(client.post(f"/api/notifications/{item['id']}/read", headers=other.headers), 404)
    assert notifications(client, studio.client_a1, "?unread=true")["total"] == 1


def test_mark_read_of_a_missing_one_is_a_404(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/notifications/999999/read", headers=studio.client_a1.headers), 404)


def test_read_all_marks_only_the_callers(client: TestClient, studio: Studio) -> None:
    for _ in range(3):
        emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    emit(client, "workout.created", studio.client_a2, studio.trainer_a)
    response = client.post("/api/notifications/read-all", headers=studio.client_a1.headers)
    assert response.status_code == 204 and response.content == b""
    assert notifications(client, studio.client_a1, "?unread=true")["total"] == 0
    assert notifications(client, studio.client_a1)["total"] == 3
    assert notifications(client, studio.client_a2, "?unread=true")["total"] == 1


def test_list_costs_a_constant_number_of_queries(client: TestClient, studio: Studio) -> None:
    db = client.app.state.db  # type: ignore[attr-defined]

    def cost() -> int:  # statements of this module only: the session check is cached and not ours to count
        def ours() -> int:
            return sum(n for name, n in db.stats.by_name.items() if name.startswith("notifications."))
        before = ours()
        notifications(client, studio.client_a1)
        return ours() - before

    emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    one = cost()
    for _ in range(5):
        emit(client, "workout.created", studio.client_a1, studio.trainer_a)
    assert cost() == one == 2

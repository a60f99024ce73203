"""The attention queue: compliance checked against figures computed by hand as the test moves the clock, the
reasons a client is flagged, the order, the studio thresholds, one statement whatever the number of clients."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from elior.settings import Settings
from tests.helpers import Person, Studio, assert_error, make_person, statements_run
from tests.nutrition.test_meal_plans import plan_body
from tests.programs.world import MONDAY, assign, make_program, program_body
from tests.training_world import make_exercise

Today = Callable[[dt.date], None]


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def queue(client: TestClient, person: Person, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/clients/attention{query}", headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def by_client(body: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {item["client_id"]: item for item in body["items"]}


def codes(item: dict[str, Any]) -> list[str]:
    return [reason["code"] for reason in item["reasons"]]


def log(client: TestClient, person: Person, workout: dict[str, Any]) -> None:
    response = client.post(f"/api/workouts/{workout['id']}/log",
                           json={"performed_at": f"{workout['scheduled_for']}T18:00:00Z"}, headers=person.headers)
    assert response.status_code == 201, response.text


def weigh_in(client: TestClient, person: Person, on: dt.date) -> None:
    response = client.post("/api/progress", json={"date": on.isoformat(), "weight_kg": 80}, headers=person.headers)
    assert response.status_code == 201, response.text


def pending_entry(client: TestClient, studio: Studio, person: Person, on: dt.date) -> None:
    plan = client.post("/api/meal-plans", json=plan_body(person.id, start_date="2026-03-01", end_date=None),
                       headers=studio.trainer_a.headers)
    assert plan.status_code == 201, plan.text
    entry = client.post(f"/api/meal-plans/{plan.json()['id']}/entries",
                        json={"date": on.isoformat(), "meal_name": "Lunch"}, headers=person.headers)
    assert entry.status_code == 201, entry.text


@pytest.fixture
def scheduled(client: TestClient, studio: Studio, today: Today) -> list[dict[str, Any]]:
    """A 4-week program on Monday, Wednesday and Friday for A1 and A2 from MONDAY; A1's workouts, in order."""
    squat = make_exercise(client, studio.trainer_a)["id"]
    program = make_program(client, studio.trainer_a, program_body([squat], weeks=4, days=(1, 3, 5)))
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    response = client.get(f"/api/calendar?client_id={studio.client_a1.id}&from={MONDAY}&to={day(27)}",
                          headers=studio.trainer_a.headers)
    return [w for d in response.json()["days"] for w in d["workouts"]]


def test_a_client_drops_into_the_queue_after_a_missed_week(client: TestClient, studio: Studio, today: Today,
                                                           scheduled: list[dict[str, Any]]) -> None:
    a1, a2 = studio.client_a1, studio.client_a2
    for workout in scheduled[:6]:  # weeks 1 and 2 done, on their days (03-02 .. 03-13)
        log(client, a1, workout)
    weigh_in(client, a1, day(11))
    today(day(14))  # Monday of week 3
    item = by_client(queue(client, studio.trainer_a))[a1.id]
    # 7 days 03-10..03-16: 03-11, 03-13 due and done (today's 03-16 is not due yet); the 7 before: 03-04..03-09
    assert (item["due_7"], item["completed_7"], item["compliance_7"]) == (2, 2, 100)
    assert item["previous_compliance_7"] == 100
    assert (item["due_30"], item["completed_30"], item["compliance_30"]) == (6, 6, 100)
    assert (item["days_since_last_log"], item["days_since_weigh_in"], item["upcoming_workouts"]) == (3, 3, 3)
    assert codes(item) == [] and item["urgency"] == 0

    today(day(21))  # week 3 (03-16, 03-18, 03-20) missed
    body = queue(client, studio.trainer_a)
    item = by_client(body)[a1.id]
    # 03-17..03-23: 03-18, 03-20 due, none done (0 %); 03-10..03-16: 03-11, 03-13 done, 03-16 missed (2 of 3)
    assert (item["due_7"], item["completed_7"], item["compliance_7"]) == (2, 0, 0)
    assert (item["previous_compliance_7"], item["compliance_30"], item["compliance_90"]) == (66.7, 66.7, 66.7)
    assert (item["due_90"], item["completed_90"]) == (9, 6)
    assert item["days_since_last_log"] == 10 and item["last_logged_at"].startswith("2026-03-13")
    assert codes(item) == ["compliance_drop", "inactive"]
    assert item["reasons"][0]["detail"] == "7-day compliance 0%, down from 66.7%"
    # A2 never logged nor weighed in: never compliant, so nothing dropped
    other = by_client(body)[a2.id]
    assert (other["compliance_7"], other["previous_compliance_7"], other["compliance_30"]) == (0, 0, 0)
    assert codes(other) == ["inactive", "weigh_in_missing"]
    assert other["days_since_last_log"] is None and other["last_weigh_in"] is None
    assert [i["client_id"] for i in body["items"]] == [a2.id, a1.id]  # as many reasons, 0 % each: never logged first
    assert (body["total"], body["flagged"], body["as_of"]) == (2, 2, "2026-03-23")

    pending_entry(client, studio, a1, day(20))
    item = by_client(queue(client, studio.trainer_a))[a1.id]
    assert codes(item) == ["compliance_drop", "inactive", "review_waiting"] and item["pending_reviews"] == 1


def test_queue_orders_by_urgency_and_pages(client: TestClient, studio: Studio, today: Today,
                                           scheduled: list[dict[str, Any]]) -> None:
    a1, a2 = studio.client_a1, studio.client_a2
    a3 = make_person(client, "client", trainer=studio.trainer_a, full_name="Client A3")  # nothing planned at all
    for workout in scheduled[:6]:
        log(client, a1, workout)
    weigh_in(client, a1, day(11))
    today(day(21))
    body = queue(client, studio.trainer_a)
    # A3 has three reasons; A1 and A2 two each and the same 7-day compliance (0 %), and A2 never logged at all
    assert [(i["client_id"], i["urgency"]) for i in body["items"]] == [(a3.id, 3), (a2.id, 2), (a1.id, 2)]
    a3_item = body["items"][0]
    assert codes(a3_item) == ["inactive", "weigh_in_missing", "nothing_scheduled"]
    assert a3_item["compliance_7"] is None and a3_item["due_90"] == 0
    page = queue(client, studio.trainer_a, "?limit=1&offset=1")
    assert [i["client_id"] for i in page["items"]] == [a2.id] and page["total"] == 3
    assert queue(client, studio.trainer_a, "?flagged=true")["total"] == 3


def test_thresholds_are_studio_settings(client: TestClient, studio: Studio, today: Today,
                                        scheduled: list[dict[str, Any]], settings: Settings) -> None:
    for workout in scheduled[:6]:
        log(client, studio.client_a1, workout)
    weigh_in(client, studio.client_a1, day(11))
    today(day(21))
    client.app.state.settings = settings.with_overrides(  # type: ignore[attr-defined]
        attention_drop_points=70, attention_inactive_days=10, attention_weigh_in_days=9)
    item = by_client(queue(client, studio.trainer_a))[studio.client_a1.id]
    assert codes(item) == ["weigh_in_missing"]  # a 66.7-point drop < 70; 10 days idle is not more than 10


def test_statements_per_call_do_not_grow_with_the_clients(client: TestClient, studio: Studio, today: Today,
                                                            scheduled: list[dict[str, Any]]) -> None:
    """Cold (a new day: every client's figures are made again) three statements, warm one, for 2 clients as for 10."""
    def statements(clients: int) -> dict[str, int]:
        def listed() -> None:
            assert queue(client, studio.trainer_a)["total"] == clients

        return statements_run(client, listed, "programs.")

    queue(client, studio.trainer_a)  # warm the sign-in caches: count only what the queue itself costs
    cold = {"programs.attention.trainer": 1, "programs.attention.compute": 1, "programs.attention.store": 1}
    warm = {"programs.attention.trainer": 1}
    today(day(1))
    assert (statements(2), statements(2)) == (cold, warm)
    for n in range(8):
        weigh_in(client, make_person(client, "client", trainer=studio.trainer_a), day(n))
    today(day(2))
    assert (statements(10), statements(10)) == (cold, warm)


def test_a_change_by_any_writer_refreshes_the_kept_figures(client: TestClient, studio: Studio, today: Today,
                                                           scheduled: list[dict[str, Any]]) -> None:
    today(day(7))
    before = by_client(queue(client, studio.trainer_a))[studio.client_a1.id]
    # 03-03..03-09: 03-04 and 03-06 due and missed; today's 03-09 is not due until done
    assert (before["due_7"], before["completed_7"], before["days_since_last_log"]) == (2, 0, None)
    log(client, studio.client_a1, scheduled[3])  # 03-09, today
    weigh_in(client, studio.client_a1, day(7))
    after = by_client(queue(client, studio.trainer_a))[studio.client_a1.id]
    assert (after["due_7"], after["completed_7"], after["days_since_last_log"], after["days_since_weigh_in"]) == (
        3, 1, 0, 0)
    assert after["upcoming_workouts"] == 2  # 03-11 and 03-13; today's is done
    assert by_client(queue(client, studio.trainer_a))[studio.client_a1.id] == after  # now from the kept row


def test_attention_who_may(client: TestClient, studio: Studio, today: Today,
                           scheduled: list[dict[str, Any]]) -> None:
    assert set(by_client(queue(client, studio.trainer_a))) == {studio.client_a1.id, studio.client_a2.id}
    assert set(by_client(queue(client, studio.trainer_b))) == {studio.client_b1.id}
    # a trainer's trainer_id= is ignored: always their own clients
    assert set(by_client(queue(client, studio.trainer_b, f"?trainer_id={studio.trainer_a.id}"))) == {
        studio.client_b1.id}
    assert set(by_client(queue(client, studio.admin))) == {studio.client_a1.id, studio.client_a2.id,
                                                          studio.client_b1.id}
    assert set(by_client(queue(client, studio.admin, f"?trainer_id={studio.trainer_a.id}"))) == {
        studio.client_a1.id, studio.client_a2.id}
    for person in (studio.client_a1, studio.client_a2, studio.client_b1):
        assert_error(client.get("/api/clients/attention", headers=person.headers), 403)
    assert_error(client.get("/api/clients/attention"), 401)
    assert_error(client.get("/api/clients/attention?limit=101", headers=studio.trainer_a.headers), 422)

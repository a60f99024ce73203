"""The calendar (grouped by day, with status), rescheduling through PUT /api/workouts/{id}, and the iCal feed: it
parses with `icalendar`, shows what its user may see, and a rotated or revoked token is a 404."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable
from urllib.parse import urlsplit

import icalendar
import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import Person, Studio, assert_error, make_person, run
from tests.programs.world import assign, make_program, program_body
from tests.training_world import make_exercise, make_workout

Today = Callable[[dt.date], None]


@pytest.fixture
def program(client: TestClient, studio: Studio) -> dict[str, Any]:
    squat = make_exercise(client, studio.trainer_a, "Squat")["id"]
    return make_program(client, studio.trainer_a, program_body([squat], weeks=2, days=(1, 3)))


def week_of(client: TestClient, person: Person, query: str = "") -> Any:
    response = client.get(f"/api/calendar?from=2026-03-02&to=2026-03-08{query}", headers=person.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_calendar_groups_a_clients_workouts_by_day_with_status(client: TestClient, studio: Studio,
                                                               program: dict[str, Any], today: Today) -> None:
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    make_workout(client, studio.trainer_a, studio.client_a1.id, title="Extra", scheduled_for="2026-03-05")
    today(dt.date(2026, 3, 5))
    week = week_of(client, studio.client_a1)
    assert (week["from"], week["to"], week["client_id"], week["truncated"]) == ("2026-03-02", "2026-03-08",
                                                                                studio.client_a1.id, False)
    assert [day["date"] for day in week["days"]] == [f"2026-03-0{n}" for n in range(2, 9)]
    assert [[(w["title"], w["missed"]) for w in day["workouts"]] for day in week["days"]] == [
        [("W1D1", True)], [], [("W1D3", True)], [("Extra", False)], [], [], []]
    assert {w["client_id"] for day in week["days"] for w in day["workouts"]} == {studio.client_a1.id}
    extra = week["days"][3]["workouts"][0]
    assert (extra["program_id"], extra["assignment_id"], extra["week"], extra["day"]) == (None, None, None, None)


def test_trainer_calendar_holds_every_client_and_narrows_to_one(client: TestClient, studio: Studio,
                                                                program: dict[str, Any], today: Today) -> None:
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    make_workout(client, studio.trainer_b, studio.client_b1.id, scheduled_for="2026-03-02")
    monday = week_of(client, studio.trainer_a)["days"][0]["workouts"]
    assert [w["client_name"] for w in monday] == ["Client A1", "Client A2"]
    only = week_of(client, studio.trainer_a, f"&client_id={studio.client_a2.id}")["days"][0]["workouts"]
    assert [w["client_id"] for w in only] == [studio.client_a2.id]
    studio_wide = week_of(client, studio.admin)["days"][0]["workouts"]
    assert {w["client_id"] for w in studio_wide} == {studio.client_a1.id, studio.client_a2.id, studio.client_b1.id}
    b_only = week_of(client, studio.admin, f"&trainer_id={studio.trainer_b.id}")["days"][0]["workouts"]
    assert [w["client_id"] for w in b_only] == [studio.client_b1.id]


def test_calendar_who_may(client: TestClient, studio: Studio, program: dict[str, Any], today: Today) -> None:
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id])
    for person, client_id in ((studio.trainer_b, studio.client_a1.id), (studio.client_a2, studio.client_a1.id),
                              (studio.client_b1, studio.client_a1.id), (studio.trainer_a, studio.client_b1.id)):
        assert_error(client.get(f"/api/calendar?client_id={client_id}", headers=person.headers), 404)
    assert week_of(client, studio.trainer_b)["days"][0]["workouts"] == []
    assert week_of(client, studio.client_a2)["days"][0]["workouts"] == []
    # a trainer's trainer_id= is the trainer's own clients whatever it says; a client's is ignored too
    assert week_of(client, studio.trainer_b, f"&trainer_id={studio.trainer_a.id}")["days"][0]["workouts"] == []
    assert_error(client.get("/api/calendar"), 401)


@pytest.mark.parametrize("query", ["from=2026-03-09&to=2026-03-02", "from=2026-01-01&to=2026-04-03",
                                   "from=2026-13-01", "client_id=0", "week=1"])
def test_bad_calendar_query_is_a_422(client: TestClient, studio: Studio, query: str) -> None:
    assert_error(client.get(f"/api/calendar?{query}", headers=studio.trainer_a.headers), 422)


def test_rescheduling_is_a_put_of_scheduled_for_that_notifies_the_client(client: TestClient, studio: Studio,
                                                                         program: dict[str, Any],
                                                                         today: Today) -> None:
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id])
    monday = week_of(client, studio.trainer_a)["days"][0]["workouts"][0]
    response = client.put(f"/api/workouts/{monday['id']}", json={"scheduled_for": "2026-03-03"},
                          headers=studio.trainer_a.headers)
    assert response.status_code == 200, response.text
    days = week_of(client, studio.client_a1)["days"]
    assert days[0]["workouts"] == []
    moved = days[1]["workouts"][0]
    assert (moved["id"], moved["assignment_id"], moved["week"], moved["day"]) == (
        monday["id"], monday["assignment_id"], 1, 1)  # still of its program: un-assigning would take it back
    notes = client.get("/api/notifications", headers=studio.client_a1.headers).json()["items"]
    assert "workout.updated" in [n["type"] for n in notes]


# --- the iCal feed ---

def feed_url(client: TestClient, person: Person) -> str:
    response = client.post("/api/calendar/feed", headers=person.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["webcal_url"] == "webcal://" + body["url"].split("://", 1)[1]
    parts = urlsplit(body["url"])
    assert parts.path == "/api/calendar.ics" and parts.query == f"token={body['token']}"
    return f"{parts.path}?{parts.query}"


def events_of(client: TestClient, url: str) -> list[Any]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return sorted(calendar.walk("VEVENT"), key=lambda event: (event.decoded("dtstart"), str(event["summary"])))


def test_ical_feed_parses_and_holds_the_clients_workouts(client: TestClient, studio: Studio,
                                                         program: dict[str, Any], today: Today) -> None:
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    skipped = make_workout(client, studio.trainer_a, studio.client_a1.id, title="Rest", scheduled_for="2026-03-06",
                           status="skipped")
    events = events_of(client, feed_url(client, studio.client_a1))
    assert [(e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]), str(e["status"])) for e in events] == [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 3), "W1D1", "CONFIRMED"),
        (dt.date(2026, 3, 4), dt.date(2026, 3, 5), "W1D3", "CONFIRMED"),
        (dt.date(2026, 3, 6), dt.date(2026, 3, 7), "Rest", "CANCELLED"),
        (dt.date(2026, 3, 9), dt.date(2026, 3, 10), "W2D1", "CONFIRMED"),
        (dt.date(2026, 3, 11), dt.date(2026, 3, 12), "W2D3", "CONFIRMED")]
    assert str(events[2]["uid"]) == f"workout-{skipped['id']}@localhost"
    assert "Strength base, week 1 day 1" in str(events[0]["description"])
    trainer_events = events_of(client, feed_url(client, studio.trainer_a))
    assert [str(e["summary"]) for e in trainer_events][:3] == ["Client A1: W1D1", "Client A2: W1D1",
                                                               "Client A1: W1D3"]
    assert events_of(client, feed_url(client, studio.trainer_b)) == []


def test_rotated_or_revoked_feed_token_is_a_404(client: TestClient, studio: Studio, today: Today) -> None:
    headers = studio.client_a1.headers
    assert client.get("/api/calendar/feed", headers=headers).json() == {"active": False, "created_at": None}
    first = feed_url(client, studio.client_a1)
    assert client.get(first).status_code == 200
    second = feed_url(client, studio.client_a1)
    assert_error(client.get(first), 404)  # rotated: the old token is dead
    assert client.get(second).status_code == 200
    assert client.get("/api/calendar/feed", headers=headers).json()["active"] is True
    assert client.delete("/api/calendar/feed", headers=headers).status_code == 204
    assert_error(client.get(second), 404)
    assert client.get("/api/calendar/feed", headers=headers).json()["active"] is False
    assert_error(client.get("/api/calendar.ics?token=cal_made-up"), 404)
    assert_error(client.get("/api/calendar.ics"), 422)
    stored = run(client, client.app.state.db.raw.fetch_all,  # type: ignore[attr-defined]
                 "SELECT token_hash FROM calendar_feeds", {})
    assert all(second.split("token=")[1] not in str(dict(row._mapping)) for row in stored)


def test_feed_follows_its_user_now(client: TestClient, studio: Studio, program: dict[str, Any],
                                   today: Today) -> None:
    """The feed shows what its user may see today: a deactivated user's feed is a 404; a demoted trainer's holds
    only their own workouts, not their former clients'."""
    trainer = make_person(client, "trainer", full_name="Soon demoted")
    former = make_person(client, "client", trainer=trainer)
    make_workout(client, studio.admin, former.id, scheduled_for="2026-03-03")
    url = feed_url(client, trainer)
    assert len(events_of(client, url)) == 1
    db = client.app.state.db  # type: ignore[attr-defined]
    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Demoted",
        role="client", trainer_id=None, is_active=True, now=clock.now())
    assert events_of(client, url) == []
    run(client, db.execute, "accounts.users.update", id=trainer.id, email=trainer.email, full_name="Gone",
        role="client", trainer_id=None, is_active=False, now=clock.now())
    assert_error(client.get(url), 404)


def test_feed_token_routes_need_a_signed_in_user(client: TestClient) -> None:
    for method in ("GET", "POST", "DELETE"):
        assert_error(client.request(method, "/api/calendar/feed"), 401)

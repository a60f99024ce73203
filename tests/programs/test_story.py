"""Issue 15's "done when", through the API: a trainer builds a 4-week program, assigns it to 3 clients from next
Monday, sees it in the calendar, sees a client drop into the attention queue after a missed week, and the client's
phone calendar holds the workouts through the iCal feed."""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import icalendar
from starlette.testclient import TestClient

from tests.helpers import Studio, make_person
from tests.training_world import make_exercise


def test_a_coaching_month_from_program_to_attention_queue(client: TestClient, studio: Studio,
                                                          today: Callable[[dt.date], None]) -> None:
    trainer = studio.trainer_a
    a3 = make_person(client, "client", trainer=trainer, full_name="Client A3")
    clients = [studio.client_a1, studio.client_a2, a3]
    thursday = dt.date(2026, 2, 26)
    today(thursday)
    ids = [make_exercise(client, trainer, name)["id"] for name in ("Squat", "Bench", "Deadlift")]
    body = {"title": "Four weeks", "weeks": 4, "workouts": [
        {"week": week, "day": day, "title": f"Week {week} {name}", "exercises": [
            {"exercise_id": ids[0], "sets": 5, "reps": 5, "weight_kg": 80, "progression_kg": 2.5},
            {"exercise_id": ids[1], "sets": 3, "reps_min": 8, "reps_max": 10, "rpe": 8},
            {"exercise_id": ids[2], "sets": 1, "reps": 5, "set_type": "amrap"}]}
        for week in range(1, 5) for day, name in ((1, "A"), (3, "B"), (5, "C"))]}
    program = client.post("/api/programs", json=body, headers=trainer.headers)
    assert program.status_code == 201, program.text
    monday = thursday + dt.timedelta(days=7 - thursday.weekday())
    assigned = client.post(f"/api/programs/{program.json()['id']}/assign",
                           json={"client_ids": [c.id for c in clients], "start_date": monday.isoformat()},
                           headers=trainer.headers)
    assert assigned.status_code == 201, assigned.text
    assert [a["workouts"] for a in assigned.json()["assigned"]] == [12, 12, 12]

    first_week = client.get(f"/api/calendar?from={monday}", headers=trainer.headers).json()["days"]
    assert [[w["client_name"] for w in day["workouts"]] for day in first_week] == [
        ["Client A1", "Client A2", "Client A3"], [], ["Client A1", "Client A2", "Client A3"], [],
        ["Client A1", "Client A2", "Client A3"], [], []]

    def log_week(person: Any, week: int) -> None:
        mine = client.get(f"/api/calendar?from={monday + dt.timedelta(weeks=week - 1)}",
                          headers=person.headers).json()["days"]
        for workout in (w for day in mine for w in day["workouts"]):
            response = client.post(f"/api/workouts/{workout['id']}/log",
                                   json={"performed_at": f"{workout['scheduled_for']}T18:00:00Z"},
                                   headers=person.headers)
            assert response.status_code == 201, response.text

    for person in clients:
        log_week(person, 1)
        weigh = client.post("/api/progress", json={"date": str(monday + dt.timedelta(days=4)), "weight_kg": 70},
                            headers=person.headers)
        assert weigh.status_code == 201, weigh.text
    for person in (studio.client_a1, studio.client_a2):
        log_week(person, 2)  # A3 misses week 2
    today(monday + dt.timedelta(weeks=2))
    queue = client.get("/api/clients/attention?flagged=true", headers=trainer.headers).json()
    assert [(item["client_name"], [r["code"] for r in item["reasons"]]) for item in queue["items"]] == [
        ("Client A3", ["compliance_drop", "inactive"])]
    # the 7 days before: week 1 B and C done, week 2 A (on their first day) missed
    assert (queue["items"][0]["compliance_7"], queue["items"][0]["previous_compliance_7"]) == (0, 66.7)

    feed = client.post("/api/calendar/feed", headers=a3.headers).json()
    ics = client.get(feed["url"].split("testserver", 1)[1])
    events = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 12
    assert sorted(str(e["summary"]) for e in events)[:2] == ["Done: Week 1 A", "Done: Week 1 B"]

"""Check-ins: a template, a weekly schedule, the client answering once per period (409), the trainer replying, the
series for the charts, and the due reminders announced once."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.conversations import reminders
from tests.conversations.world import add_file, move_client, move_clock
from tests.helpers import Person, Studio, assert_error, run

MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=clock.UTC)
QUESTIONS = [{"kind": "scale", "prompt": "Energy this week"}, {"kind": "number", "prompt": "Weight", "unit": "kg"},
             {"kind": "text", "prompt": "Anything to tell me?"}, {"kind": "yes_no", "prompt": "All sessions done?"},
             {"kind": "photo", "prompt": "Front photo"}]


def make_template(client: TestClient, trainer: Person) -> dict[str, Any]:
    response = client.post("/api/check-in-templates", json={"title": "Weekly check-in", "questions": QUESTIONS},
                           headers=trainer.headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def schedule(client: TestClient, trainer: Person, who: Person, template_id: int, **cadence: Any) -> dict[str, Any]:
    body = {"template_id": template_id, **(cadence or {"cadence": "weekly", "weekday": 0})}
    response = client.put(f"/api/check-ins/schedules/{who.id}", json=body, headers=trainer.headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def answers(template: dict[str, Any], energy: int = 7, weight: float = 81.5,
            photo: str | None = None) -> list[dict[str, Any]]:
    by_kind = {q["kind"]: q["id"] for q in template["questions"]}
    return [{"question_id": by_kind["scale"], "value": energy}, {"question_id": by_kind["number"], "value": weight},
            {"question_id": by_kind["text"], "value": "Slept badly on Tuesday"},
            {"question_id": by_kind["yes_no"], "value": True}, {"question_id": by_kind["photo"], "value": photo}]


@pytest.fixture
def weekly(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Trainer A's template, scheduled for client A1 on Mondays; the clock on a Monday morning."""
    move_clock(monkeypatch, MONDAY)
    template = make_template(client, studio.trainer_a)
    schedule(client, studio.trainer_a, studio.client_a1, template["id"])
    return template


def submit(client: TestClient, who: Person, body: list[dict[str, Any]]) -> Any:
    return client.post("/api/check-ins", json={"answers": body}, headers=who.headers)


def test_client_sees_the_check_in_due(client: TestClient, studio: Studio, weekly: dict[str, Any]) -> None:
    seen = client.get(f"/api/check-ins/schedules/{studio.client_a1.id}", headers=studio.client_a1.headers).json()
    assert [q["kind"] for q in seen["questions"]] == [q["kind"] for q in QUESTIONS]
    assert seen["current"] == {"period_start": "2026-03-02", "period_end": "2026-03-08", "check_in_id": None,
                               "overdue": False}
    assert seen["next_period_start"] == "2026-03-09"


def test_check_in_is_answered_once_per_period(client: TestClient, studio: Studio, weekly: dict[str, Any],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    a1 = studio.client_a1
    photo = add_file(client, a1, a1.id)
    first = submit(client, a1, answers(weekly, photo=photo))
    assert first.status_code == 201, first.text
    values = {a["kind"]: a["value"] for a in first.json()["answers"]}
    assert values == {"scale": 7, "number": 81.5, "text": "Slept badly on Tuesday", "yes_no": True, "photo": photo}
    assert_error(submit(client, a1, answers(weekly)), 409)
    move_clock(monkeypatch, MONDAY + dt.timedelta(days=6, hours=14))  # Sunday night: the same period
    assert_error(submit(client, a1, answers(weekly)), 409)
    move_clock(monkeypatch, MONDAY + dt.timedelta(days=7))  # the next Monday: a new period
    assert submit(client, a1, answers(weekly, energy=8)).status_code == 201


def test_answers_are_checked_against_their_questions(client: TestClient, studio: Studio,
                                                     weekly: dict[str, Any]) -> None:
    a1 = studio.client_a1
    by_kind = {q["kind"]: q["id"] for q in weekly["questions"]}
    for kind, value in (("scale", 11), ("scale", 2.5), ("number", "heavy"), ("yes_no", "yes"), ("text", 3),
                        ("photo", add_file(client, studio.trainer_a, a1.id))):
        response = submit(client, a1, [{"question_id": by_kind[kind], "value": value}])
        assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "answers", 0, "value"], (kind, value)
    assert_error(submit(client, a1, [{"question_id": 999999, "value": 1}]), 422)
    assert client.get("/api/check-ins", headers=a1.headers).json()["total"] == 0


def test_nothing_is_due_before_the_first_period(client: TestClient, studio: Studio,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    move_clock(monkeypatch, MONDAY)
    template = make_template(client, studio.trainer_a)
    schedule(client, studio.trainer_a, studio.client_a1, template["id"], cadence="weekly", weekday=4)
    assert_error(submit(client, studio.client_a1, answers(template)), 409)


def test_trainer_replies_and_the_client_reads_it(client: TestClient, studio: Studio, weekly: dict[str, Any]) -> None:
    check_in = submit(client, studio.client_a1, answers(weekly)).json()
    path = f"/api/check-ins/{check_in['id']}/reply"
    assert_error(client.put(path, json={"reply": "mine"}, headers=studio.trainer_b.headers), 404)
    assert_error(client.put(path, json={"reply": "mine"}, headers=studio.client_a1.headers), 403)
    replied = client.put(path, json={"reply": "Good week, sleep more"}, headers=studio.trainer_a.headers)
    assert replied.status_code == 200, replied.text
    read = client.get(f"/api/check-ins/{check_in['id']}", headers=studio.client_a1.headers).json()
    assert read["reply"] == "Good week, sleep more" and read["replied_by"] == studio.trainer_a.id


def test_series_chart_scale_and_number_answers_over_time(client: TestClient, studio: Studio, weekly: dict[str, Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    a1 = studio.client_a1
    for week, (energy, weight) in enumerate(((6, 82.0), (7, 81.4), (9, 80.9))):
        move_clock(monkeypatch, MONDAY + dt.timedelta(days=7 * week))
        assert submit(client, a1, answers(weekly, energy, weight)).status_code == 201
    listed = client.get(f"/api/check-ins?client_id={a1.id}", headers=studio.trainer_a.headers).json()
    assert listed["total"] == 3 and [c["period_start"] for c in listed["items"]] == ["2026-03-16", "2026-03-09",
                                                                                       "2026-03-02"]
    series = {line["kind"]: [(p["period_start"], p["value"]) for p in line["points"]] for line in listed["series"]}
    assert series == {"scale": [("2026-03-02", 6), ("2026-03-09", 7), ("2026-03-16", 9)],
                      "number": [("2026-03-02", 82.0), ("2026-03-09", 81.4), ("2026-03-16", 80.9)]}
    assert listed["current"]["check_in_id"] == listed["items"][0]["id"]


def test_template_in_use_stays(client: TestClient, studio: Studio, weekly: dict[str, Any]) -> None:
    assert_error(client.delete(f"/api/check-in-templates/{weekly['id']}", headers=studio.trainer_a.headers), 409)
    assert_error(client.delete(f"/api/check-in-templates/{weekly['id']}", headers=studio.trainer_b.headers), 404)
    unused = make_template(client, studio.trainer_a)
    assert client.delete(f"/api/check-in-templates/{unused['id']}", headers=studio.trainer_a.headers).status_code == 204


def test_schedule_takes_only_the_trainers_own_template(client: TestClient, studio: Studio) -> None:
    others = make_template(client, studio.trainer_b)
    response = client.put(f"/api/check-ins/schedules/{studio.client_a1.id}",
                          json={"template_id": others["id"], "cadence": "weekly", "weekday": 0},
                          headers=studio.trainer_a.headers)
    assert assert_error(response, 422)["detail"][0]["loc"] == ["body", "template_id"]
    wrong = client.put(f"/api/check-ins/schedules/{studio.client_a1.id}",
                       json={"template_id": others["id"], "cadence": "weekly", "every_days": 3},
                       headers=studio.trainer_b.headers)
    assert_error(wrong, 422)


def test_overdue_after_two_days(client: TestClient, studio: Studio, weekly: dict[str, Any],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    move_clock(monkeypatch, MONDAY + dt.timedelta(days=2))
    seen = client.get(f"/api/check-ins/schedules/{studio.client_a1.id}", headers=studio.trainer_a.headers).json()
    assert seen["current"]["overdue"] is True


def test_due_reminder_is_announced_once_per_period(client: TestClient, studio: Studio, weekly: dict[str, Any]) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    announced: list[Any] = []

    async def listen(event: Any) -> None:
        if event.type == "check_in.due":
            announced.append(event)

    state.events.subscribe(listen)
    assert run(client, reminders.sweep, state, MONDAY.date()) == 1
    assert run(client, reminders.sweep, state, MONDAY.date() + dt.timedelta(days=3)) == 0  # same period
    assert run(client, reminders.sweep, state, MONDAY.date() + dt.timedelta(days=7)) == 1
    assert [(e.client_id, e.data["period_start"]) for e in announced] == [
        (studio.client_a1.id, "2026-03-02"), (studio.client_a1.id, "2026-03-09")]
    overdue = run(client, state.db.fetch_all, "conversations.schedules.overdue", trainer_id=studio.trainer_a.id,
                  overdue_before=dt.date(2026, 3, 12), caller_id=studio.trainer_a.id, caller_role="trainer")
    assert [(r["client_id"], r["due_period"]) for r in overdue] == [(studio.client_a1.id, "2026-03-09")]


def test_moved_client_schedule_is_the_new_trainers_to_review(client: TestClient, studio: Studio,
                                                             weekly: dict[str, Any]) -> None:
    check_in = submit(client, studio.client_a1, answers(weekly)).json()
    move_client(client, studio.admin, studio.client_a1, studio.trainer_b)
    assert_error(client.get(f"/api/check-ins/{check_in['id']}", headers=studio.trainer_a.headers), 404)
    reply = client.put(f"/api/check-ins/{check_in['id']}/reply", json={"reply": "Hi, I am taking over"},
                       headers=studio.trainer_b.headers)
    assert reply.status_code == 200, reply.text

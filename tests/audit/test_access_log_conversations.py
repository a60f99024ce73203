"""The access log over conversations and programs (issue 18): a trainer's and an admin's reads and changes of a
client's messages, check-ins, habits, workout comments, program assignments and calendar are in the client's log
with the right kind; the client's own reads and writes add nothing, and neither does a refused request."""
from __future__ import annotations

from collections import Counter
from typing import Any, Callable

from starlette.testclient import TestClient

from elior import clock
from tests.audit.world import flush, kinds, log_of
from tests.conversations.world import page, send, threads
from tests.helpers import Person, Studio, assert_error
from tests.programs.world import assign, make_program
from tests.training_world import log_body, make_exercise, make_workout


def added(client: TestClient, who: Person, step: Callable[[], Any]) -> list[tuple[int | None, str]]:
    """The rows `step` adds to `who`'s access log, each counted (the minute's collapse forgotten first, so every
    note of the step shows)."""
    flush(client)
    client.app.state.access_log.recent.clear()  # type: ignore[attr-defined]
    before = Counter(kinds(log_of(client, who, limit=100)))
    step()
    return sorted((Counter(kinds(log_of(client, who, limit=100))) - before).elements())


def ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json() if status != 204 else {}  # type: ignore[no-any-return]


def test_messages_read_and_written_by_staff_are_logged(client: TestClient, studio: Studio) -> None:
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    path = f"/api/conversations/{a1.id}/messages"
    sent: dict[str, Any] = {}
    assert added(client, a1, lambda: sent.update(send(client, trainer, a1.id, "Morning!"))) == [
        (trainer.id, "messages.change")]
    assert added(client, a1, lambda: ok(client.put(f"{path}/{sent['id']}", json={"body": "Morning :)"},
                                                   headers=trainer.headers))) == [(trainer.id, "messages.change")]
    assert added(client, a1, lambda: ok(client.delete(f"{path}/{sent['id']}", headers=trainer.headers), 204)) == [
        (trainer.id, "messages.change")]
    assert added(client, a1, lambda: page(client, trainer, a1.id)) == [(trainer.id, "messages.read")]
    assert added(client, a1, lambda: page(client, admin, a1.id)) == [(admin.id, "messages.read")]
    assert added(client, a1, lambda: threads(client, trainer)) == [(trainer.id, "messages.read")]
    assert added(client, a1, lambda: threads(client, admin)) == [(admin.id, "messages.read")]


def test_the_clients_own_messages_and_a_refused_read_add_nothing(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1

    def own() -> None:
        message = send(client, a1, a1.id, "Hi coach")
        ok(client.put(f"/api/conversations/{a1.id}/messages/{message['id']}", json={"body": "Hi!"},
                      headers=a1.headers))
        page(client, a1, a1.id)
        threads(client, a1)

    assert added(client, a1, own) == []
    refused = lambda: assert_error(client.get(f"/api/conversations/{a1.id}/messages",  # noqa: E731
                                              headers=studio.trainer_b.headers), 404)
    assert added(client, a1, refused) == []


def test_check_ins_read_and_answered_by_staff_are_logged(client: TestClient, studio: Studio) -> None:
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    template = ok(client.post("/api/check-in-templates", json={"title": "Weekly", "questions": [
        {"kind": "scale", "prompt": "Energy"}]}, headers=trainer.headers), 201)
    schedule_path = f"/api/check-ins/schedules/{a1.id}"
    body = {"template_id": template["id"], "cadence": "every_n_days", "every_days": 7}
    assert added(client, a1, lambda: ok(client.put(schedule_path, json=body, headers=trainer.headers))) == [
        (trainer.id, "check_ins.change")]
    answer = [{"question_id": template["questions"][0]["id"], "value": 8}]
    done: dict[str, Any] = {}

    def own() -> None:
        ok(client.get(schedule_path, headers=a1.headers))
        done.update(ok(client.post("/api/check-ins", json={"answers": answer}, headers=a1.headers), 201))
        ok(client.get("/api/check-ins", headers=a1.headers))
        ok(client.get(f"/api/check-ins/{done['id']}", headers=a1.headers))

    assert added(client, a1, own) == []
    assert added(client, a1, lambda: ok(client.get(schedule_path, headers=admin.headers))) == [
        (admin.id, "check_ins.read")]
    assert added(client, a1, lambda: ok(client.get(f"/api/check-ins?client_id={a1.id}",
                                                   headers=trainer.headers))) == [(trainer.id, "check_ins.read")]
    assert added(client, a1, lambda: ok(client.get(f"/api/check-ins/{done['id']}", headers=admin.headers))) == [
        (admin.id, "check_ins.read")]
    assert added(client, a1, lambda: ok(client.put(f"/api/check-ins/{done['id']}/reply", json={"reply": "Nice"},
                                                   headers=admin.headers))) == [(admin.id, "check_ins.change")]
    assert added(client, a1, lambda: assert_error(client.get(f"/api/check-ins/{done['id']}",
                                                             headers=studio.trainer_b.headers), 404)) == []
    assert added(client, a1, lambda: ok(client.delete(schedule_path, headers=trainer.headers), 204)) == [
        (trainer.id, "check_ins.change")]


def test_habits_read_and_changed_by_staff_are_logged(client: TestClient, studio: Studio) -> None:
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    habit: dict[str, Any] = {}
    assert added(client, a1, lambda: habit.update(ok(client.post("/api/habits", json={
        "client_id": a1.id, "title": "Walk"}, headers=trainer.headers), 201))) == [(trainer.id, "habits.change")]
    path = f"/api/habits/{habit['id']}"

    def own() -> None:
        ok(client.get("/api/habits", headers=a1.headers))
        ok(client.get(path, headers=a1.headers))
        ok(client.get(f"{path}/history", headers=a1.headers))
        ok(client.put(f"{path}/ticks/{clock.today().isoformat()}", json={}, headers=a1.headers))

    assert added(client, a1, own) == []
    assert added(client, a1, lambda: ok(client.get(f"/api/habits?client_id={a1.id}", headers=admin.headers))) == [
        (admin.id, "habits.read")]
    assert added(client, a1, lambda: ok(client.get(path, headers=trainer.headers))) == [(trainer.id, "habits.read")]
    assert added(client, a1, lambda: ok(client.get(f"{path}/history", headers=admin.headers))) == [
        (admin.id, "habits.read")]
    assert added(client, a1, lambda: ok(client.put(path, json={"title": "Walk 30 min"}, headers=trainer.headers))) \
        == [(trainer.id, "habits.change")]
    assert added(client, a1, lambda: assert_error(client.delete(path, headers=studio.trainer_b.headers), 404)) == []
    assert added(client, a1, lambda: ok(client.delete(path, headers=admin.headers), 204)) == [
        (admin.id, "habits.change")]


def test_workout_comments_read_and_written_by_staff_are_logged(client: TestClient, studio: Studio) -> None:
    a1, trainer, admin = studio.client_a1, studio.trainer_a, studio.admin
    squat = make_exercise(client, trainer)
    workout = make_workout(client, trainer, a1.id, [{"exercise_id": squat["id"], "sets": 3, "reps": 5}])
    ok(client.post(f"/api/workouts/{workout['id']}/log", json=log_body(squat["id"], (5, 100)), headers=a1.headers),
       201)
    path = f"/api/workouts/{workout['id']}/comments"
    made: dict[str, Any] = {}
    assert added(client, a1, lambda: made.update(ok(client.post(path, json={"body": "Great depth"},
                                                                headers=trainer.headers), 201))) == [
        (trainer.id, "workouts.change")]

    def own() -> None:
        reply = ok(client.post(path, json={"body": "Thanks"}, headers=a1.headers), 201)
        ok(client.get(path, headers=a1.headers))
        ok(client.delete(f"{path}/{reply['id']}", headers=a1.headers), 204)

    assert added(client, a1, own) == []
    assert added(client, a1, lambda: ok(client.get(path, headers=admin.headers))) == [(admin.id, "workouts.read")]
    assert added(client, a1, lambda: ok(client.get(path, headers=trainer.headers))) == [(trainer.id, "workouts.read")]
    assert added(client, a1, lambda: assert_error(client.delete(f"{path}/{made['id']}",
                                                                headers=studio.trainer_b.headers), 404)) == []
    assert added(client, a1, lambda: ok(client.delete(f"{path}/{made['id']}", headers=trainer.headers), 204)) == [
        (trainer.id, "workouts.change")]


def test_program_assignments_and_the_calendar_are_logged(client: TestClient, studio: Studio) -> None:
    a1, a2, trainer, admin = studio.client_a1, studio.client_a2, studio.trainer_a, studio.admin
    program = make_program(client, trainer)
    path = f"/api/programs/{program['id']}"
    assert added(client, a1, lambda: assign(client, trainer, program["id"], [a1.id, a2.id], clock.today())) == [
        (trainer.id, "programs.change")]
    assert (trainer.id, "programs.change") in kinds(log_of(client, a2))
    assert added(client, a1, lambda: ok(client.get(f"{path}/assignments", headers=admin.headers))) == [
        (admin.id, "programs.read")]
    assert (admin.id, "programs.read") in kinds(log_of(client, a2))
    assert added(client, a1, lambda: ok(client.get(f"/api/calendar?client_id={a1.id}", headers=admin.headers))) == [
        (admin.id, "workouts.read")]
    assert added(client, a1, lambda: ok(client.get("/api/calendar", headers=trainer.headers))) == [
        (trainer.id, "workouts.read")]
    assert added(client, a1, lambda: ok(client.get("/api/calendar", headers=a1.headers))) == []
    assert added(client, a1, lambda: assert_error(client.get(f"/api/calendar?client_id={a1.id}",
                                                             headers=studio.trainer_b.headers), 404)) == []
    assert added(client, a1, lambda: ok(client.post(f"{path}/unassign", json={"client_ids": [a1.id]},
                                                    headers=trainer.headers))) == [(trainer.id, "programs.change")]

"""Every conversation write records its event inside its own transaction (`events.record`, elior/live/events.py), so
the event commits with the write or not at all (they used to be published after the commit, where a fault between
the two lost them):
- an event that cannot be recorded (a failing listener, the notification outbox's insert failing) fails the write:
  a clear 500 in the envelope, and nothing of the write, its notification or its push is left;
- a push that a fault kept from leaving after the commit waits in the outbox and reaches the socket once the fault
  is gone (what a process killed between the commit and the push leaves behind).
Each case runs for every write: messages (sent, edited, deleted, read), comments, habits, check-ins (submitted,
replied) and the due check-in sweep.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.conversations import reminders
from elior.live.events import Event
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.conversations.test_checkins import MONDAY, answers, make_template, schedule, submit
from tests.conversations.world import logged_workout, send
from tests.helpers import Person, Studio, assert_error, run
from tests.live.test_outbox import FAULT_POSTGRES, FAULT_SQLITE, UNFAULT_POSTGRES, pending, sql_on, wait_empty
from tests.live.test_realtime import connect, receive

Context = dict[str, Any]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, outbox_sweep_seconds=0.5)  # what a fault left is swept within a second


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


@dataclass(frozen=True)
class Write:
    """One write: what it needs first, the write itself (True: it succeeded), and what it leaves (to compare)."""
    event: str
    prepare: Callable[[TestClient, Studio], Context]
    act: Callable[[TestClient, Studio, Context], bool]
    effect: Callable[[TestClient, Studio, Context], Any]
    hears: Callable[[Studio], Person]  # whose socket hears the event
    channel: str  # the socket it travels on (elior/live/hub.py CHANNELS)


def _thread(client: TestClient, studio: Studio, ctx: Context) -> Any:
    items = ok(client.get(f"/api/conversations/{studio.client_a1.id}/messages", headers=studio.trainer_a.headers))
    return ([(m["id"], m["body"], m["deleted_at"]) for m in items["items"]],
            [(r["user_id"], r["last_read_id"]) for r in items["reads"]])


def _a_message(client: TestClient, studio: Studio) -> Context:
    return {"message": send(client, studio.trainer_a, studio.client_a1.id, "first")}


def _weekly(client: TestClient, studio: Studio) -> Context:
    template = make_template(client, studio.trainer_a)
    schedule(client, studio.trainer_a, studio.client_a1, template["id"])
    return {"template": template}


def _submitted(client: TestClient, studio: Studio) -> Context:
    ctx = _weekly(client, studio)
    return {**ctx, "check_in": ok(submit(client, studio.client_a1, answers(ctx["template"])), 201)}


def _sweep(client: TestClient, studio: Studio, ctx: Context) -> bool:
    state = client.app.state  # type: ignore[attr-defined]
    try:
        return bool(run(client, reminders.sweep, state, MONDAY.date()) == 1)
    except Exception:  # the job's failure: TaskRunner logs it and runs the job again next round
        return False


def _check_ins(client: TestClient, studio: Studio, ctx: Context) -> Any:
    listed = ok(client.get("/api/check-ins", headers=studio.client_a1.headers))
    return [(c["id"], c["reply"]) for c in listed["items"]], listed["current"]


WRITES = {
    "message sent": Write(
        "message.created", lambda c, s: {},
        lambda c, s, x: c.post(f"/api/conversations/{s.client_a1.id}/messages", json={"body": "hi"},
                               headers=s.trainer_a.headers).status_code == 201,
        _thread, lambda s: s.client_a1, "notifications"),
    "message edited": Write(
        "message.updated", _a_message,
        lambda c, s, x: c.put(f"/api/conversations/{s.client_a1.id}/messages/{x['message']['id']}",
                              json={"body": "edited"}, headers=s.trainer_a.headers).status_code == 200,
        _thread, lambda s: s.client_a1, "notifications"),
    "message deleted": Write(
        "message.updated", _a_message,
        lambda c, s, x: c.delete(f"/api/conversations/{s.client_a1.id}/messages/{x['message']['id']}",
                                 headers=s.trainer_a.headers).status_code == 204,
        _thread, lambda s: s.client_a1, "notifications"),
    "thread read": Write(
        "message.read", _a_message,
        lambda c, s, x: c.post(f"/api/conversations/{s.client_a1.id}/read", json={"message_id": x["message"]["id"]},
                               headers=s.client_a1.headers).status_code == 204,
        _thread, lambda s: s.trainer_a, "notifications"),
    "comment": Write(
        "comment.created", lambda c, s: {"workout": logged_workout(c, s)},
        lambda c, s, x: c.post(f"/api/workouts/{x['workout']['id']}/comments", json={"body": "well done"},
                               headers=s.trainer_a.headers).status_code == 201,
        lambda c, s, x: ok(c.get(f"/api/workouts/{x['workout']['id']}/comments", headers=s.trainer_a.headers))["total"],
        lambda s: s.client_a1, "workouts"),
    "habit": Write(
        "habit.assigned", lambda c, s: {},
        lambda c, s, x: c.post("/api/habits", json={"client_id": s.client_a1.id, "title": "Walk"},
                               headers=s.trainer_a.headers).status_code == 201,
        lambda c, s, x: ok(c.get(f"/api/habits?client_id={s.client_a1.id}", headers=s.trainer_a.headers))["total"],
        lambda s: s.client_a1, "progress"),
    "check-in submitted": Write(
        "check_in.submitted", _weekly,
        lambda c, s, x: submit(c, s.client_a1, answers(x["template"])).status_code == 201,
        _check_ins, lambda s: s.trainer_a, "progress"),
    "check-in replied": Write(
        "check_in.replied", _submitted,
        lambda c, s, x: c.put(f"/api/check-ins/{x['check_in']['id']}/reply", json={"reply": "Sleep more"},
                              headers=s.trainer_a.headers).status_code == 200,
        _check_ins, lambda s: s.client_a1, "progress"),
    "check-in due": Write(
        "check_in.due", _weekly, _sweep,
        lambda c, s, x: run(c, c.app.state.db.fetch_all, "conversations.schedules.due",  # type: ignore[attr-defined]
                            today=MONDAY.date(), limit=10),
        lambda s: s.client_a1, "progress"),
}


def notifications(client: TestClient, studio: Studio) -> list[tuple[int, str]]:
    people = (studio.client_a1, studio.trainer_a)
    return [(n["id"], n["type"]) for p in people
            for n in ok(client.get("/api/notifications", headers=p.headers))["items"]]


@pytest.fixture
def monday(monkeypatch: pytest.MonkeyPatch) -> None:
    """The clock on a Monday morning (a check-in of that week is due), and running: on PostgreSQL the outbox sweeps
    only the rows older than two sweep intervals, which a stopped clock never makes."""
    started = time.monotonic()
    monkeypatch.setattr(clock, "now", lambda: (MONDAY + dt.timedelta(seconds=time.monotonic() - started)).replace(
        microsecond=0))


@pytest.mark.parametrize("name", list(WRITES))
def test_a_write_whose_event_fails_changes_nothing(client: TestClient, studio: Studio, monday: None,
                                                   name: str) -> None:
    write = WRITES[name]
    ctx = write.prepare(client, studio)
    assert wait_empty(client) == 0  # on PostgreSQL the rows of what was prepared go at the next sweep
    before, told = write.effect(client, studio, ctx), notifications(client, studio)

    async def broken(event: Event) -> None:
        if event.type == write.event:
            raise RuntimeError("the event cannot be recorded")

    client.app.state.events.subscribe(broken)  # type: ignore[attr-defined]
    assert not write.act(client, studio, ctx)  # before: the write committed, the listener's failure only logged
    assert write.effect(client, studio, ctx) == before
    assert notifications(client, studio) == told
    assert pending(client) == 0


@pytest.mark.parametrize("name", list(WRITES))
def test_a_write_whose_outbox_row_fails_stores_and_pushes_nothing(client: TestClient, studio: Studio,
                                                                  database_url: str, monday: None,
                                                                  name: str) -> None:
    write = WRITES[name]
    ctx = write.prepare(client, studio)
    assert wait_empty(client) == 0
    before, told = write.effect(client, studio, ctx), notifications(client, studio)
    with connect(client, write.channel, write.hears(studio)) as ws:
        sql_on(database_url, FAULT_POSTGRES if ON_POSTGRES else FAULT_SQLITE)  # the write's last insert fails
        try:
            assert not write.act(client, studio, ctx)
        finally:
            sql_on(database_url, UNFAULT_POSTGRES if ON_POSTGRES else "DROP TRIGGER outbox_fault")
        assert write.effect(client, studio, ctx) == before
        assert notifications(client, studio) == told
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}  # nothing of the failed write came before it
    assert pending(client) == 0


def test_a_failed_write_answers_in_the_envelope(client: TestClient, studio: Studio, database_url: str) -> None:
    sql_on(database_url, FAULT_POSTGRES if ON_POSTGRES else FAULT_SQLITE)
    try:
        response = client.post(f"/api/conversations/{studio.client_a1.id}/messages", json={"body": "hi"},
                               headers=studio.trainer_a.headers)
    finally:
        sql_on(database_url, UNFAULT_POSTGRES if ON_POSTGRES else "DROP TRIGGER outbox_fault")
    assert assert_error(response, 500)["error"] and "Traceback" not in response.text


@pytest.mark.parametrize("name", list(WRITES))
def test_a_push_held_up_after_the_commit_reaches_the_socket_later(client: TestClient, studio: Studio,
                                                                  monday: None, name: str) -> None:
    write, state = WRITES[name], client.app.state  # type: ignore[attr-defined]
    staged: list[bool] = []

    async def listen(event: Event) -> None:
        if event.type == write.event:  # staged: recorded in the write's transaction, its pushes kept for the outbox
            staged.append(event.staged is not None)

    ctx = write.prepare(client, studio)
    assert wait_empty(client) == 0
    state.events.subscribe(listen)
    with connect(client, write.channel, write.hears(studio)) as ws:
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}  # registered with the hub
        fanout, state.hub.outbox.fanout = state.hub.outbox.fanout, None  # the outbox cannot push: a fault
        try:
            assert write.act(client, studio, ctx)
            assert staged == [True]
            assert pending(client) == 1  # committed with the write, not pushed (before: pushed at once, no row)
        finally:
            state.hub.outbox.fanout = fanout
        heard = [receive(ws, timeout=10)]
        while heard[-1]["type"] != write.event:
            heard.append(receive(ws, timeout=10))
    assert wait_empty(client) == 0
    if ON_POSTGRES:  # a sweep pushed it (its count is added once the sweep's claim has committed, so wait for it)
        deadline = time.monotonic() + 10
        while state.hub.outbox.swept < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state.hub.outbox.swept >= 1


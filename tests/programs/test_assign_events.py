"""`program.assigned` is recorded inside each client's assignment transaction (`events.record`), so the assignment,
its workouts, the client's notification and the push commit together or not at all (it used to be published after
the commit, where a fault between the two lost it)."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Callable

import pytest
from starlette.testclient import TestClient

from elior.live.events import Event
from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.helpers import Studio, assert_error
from tests.live.test_outbox import FAULT_POSTGRES, FAULT_SQLITE, UNFAULT_POSTGRES, pending, sql_on, wait_empty
from tests.live.test_realtime import connect, receive
from tests.programs.world import MONDAY, assign, make_program, program_body, workouts_of
from tests.training_world import make_exercise

Today = Callable[[dt.date], None]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, outbox_sweep_seconds=0.5)  # what a fault left is swept within a second


@pytest.fixture
def program(client: TestClient, studio: Studio, today: Today) -> dict[str, Any]:
    squat = make_exercise(client, studio.trainer_a, "Squat")["id"]
    return make_program(client, studio.trainer_a, program_body([squat]))


def post_assign(client: TestClient, studio: Studio, program: dict[str, Any]) -> Any:
    return client.post(f"/api/programs/{program['id']}/assign", json={
        "client_ids": [studio.client_a1.id, studio.client_a2.id], "start_date": str(MONDAY)},
        headers=studio.trainer_a.headers)


def nothing_assigned(client: TestClient, studio: Studio, program: dict[str, Any]) -> None:
    held = client.get(f"/api/programs/{program['id']}/assignments", headers=studio.trainer_a.headers).json()
    assert held["items"] == []
    for person in (studio.client_a1, studio.client_a2):
        assert workouts_of(client, studio.trainer_a, person.id) == []
        assert client.get("/api/notifications", headers=person.headers).json()["total"] == 0
    assert pending(client) == 0


def test_each_clients_event_is_recorded_inside_their_assignment(client: TestClient, studio: Studio,
                                                                program: dict[str, Any]) -> None:
    staged: list[tuple[int, bool]] = []

    async def listen(event: Event) -> None:
        if event.type == "program.assigned":
            staged.append((event.client_id, event.staged is not None))

    client.app.state.events.subscribe(listen)  # type: ignore[attr-defined]
    assign(client, studio.trainer_a, program["id"], [studio.client_a1.id, studio.client_a2.id])
    assert staged == [(studio.client_a1.id, True), (studio.client_a2.id, True)]


def test_an_event_that_cannot_be_recorded_assigns_nothing(client: TestClient, studio: Studio,
                                                          program: dict[str, Any]) -> None:
    async def broken(event: Event) -> None:
        if event.type == "program.assigned":
            raise RuntimeError("the event cannot be recorded")

    client.app.state.events.subscribe(broken)  # type: ignore[attr-defined]
    response = post_assign(client, studio, program)
    assert_error(response, 500)  # before: 201, the workouts there, the listener's failure only logged
    nothing_assigned(client, studio, program)


def test_an_assignment_whose_outbox_row_fails_stores_and_pushes_nothing(client: TestClient, studio: Studio,
                                                                        database_url: str,
                                                                        program: dict[str, Any]) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        sql_on(database_url, FAULT_POSTGRES if ON_POSTGRES else FAULT_SQLITE)  # the transaction's last insert fails
        try:
            response = post_assign(client, studio, program)
        finally:
            sql_on(database_url, UNFAULT_POSTGRES if ON_POSTGRES else "DROP TRIGGER outbox_fault")
        # SQLite reports the trigger's RAISE(ABORT) as a constraint failure: each client "changed while it was being
        # assigned", so nothing was (409); PostgreSQL's RAISE EXCEPTION is an unexpected error (500).
        assert_error(response, 500 if ON_POSTGRES else 409)
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}  # no program.assigned came before it
    nothing_assigned(client, studio, program)


def test_a_push_held_up_after_the_commit_reaches_the_socket_later(client: TestClient, studio: Studio,
                                                                  program: dict[str, Any]) -> None:
    state = client.app.state  # type: ignore[attr-defined]
    assert wait_empty(client) == 0
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}  # registered with the hub
        fanout, state.hub.outbox.fanout = state.hub.outbox.fanout, None  # the outbox cannot push: a fault
        try:
            result = post_assign(client, studio, program)
            assert result.status_code == 201, result.text
            assert pending(client) == 2  # one row per client, committed with their assignment (before: none)
        finally:
            state.hub.outbox.fanout = fanout
        heard = receive(ws, timeout=10)
    assert heard["type"] == "program.assigned" and heard["data"]["id"] == result.json()["assigned"][0]["id"]
    assert wait_empty(client) == 0

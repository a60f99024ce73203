"""Messages live: message.created, message.updated and message.read reach both sides of the thread over
/ws/notifications, in order, and nobody else (not another trainer, not an admin's socket); under 20 concurrent
senders against a real server process; and across two server processes on one PostgreSQL database."""
from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.conversations.world import send
from tests.helpers import Studio
from tests.live.test_fanout import request
from tests.live.test_realtime import live_server

SENDERS, EACH = 20, 5


def receive_until_pong(ws: Any) -> list[dict[str, Any]]:
    """Everything the socket holds before the answer to a ping sent now (the pong queues behind it)."""
    ws.send_json({"type": "ping"})
    seen = []
    while (message := ws.receive_json()) != {"type": "pong"}:
        seen.append(message)
    return seen


def message_events(messages: list[dict[str, Any]]) -> list[tuple[str, Any]]:
    return [(m["type"], m["data"].get("id", m["data"].get("last_read_id"))) for m in messages
            if m["type"].startswith("message.")]


def test_both_sides_hear_a_thread_in_order_and_no_one_else(client: TestClient, studio: Studio) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    sockets = {name: client.websocket_connect(f"/ws/notifications?token={person.token}")
               for name, person in (("client", a1), ("trainer", trainer), ("other", studio.trainer_b),
                                    ("admin", studio.admin), ("a2", studio.client_a2))}
    opened = {name: ws.__enter__() for name, ws in sockets.items()}
    try:
        for ws in opened.values():
            receive_until_pong(ws)  # connected and registered with the hub
        first = send(client, a1, a1.id, "hi")
        edited = client.put(f"/api/conversations/{a1.id}/messages/{first['id']}", json={"body": "hi!"},
                            headers=a1.headers).json()
        reply = send(client, trainer, a1.id, "hello")
        assert client.post(f"/api/conversations/{a1.id}/read", json={"message_id": reply["id"]},
                           headers=a1.headers).status_code == 204
        expected = [("message.created", first["id"]), ("message.updated", first["id"]),
                    ("message.created", reply["id"]), ("message.read", reply["id"])]
        for side in ("client", "trainer"):
            heard = receive_until_pong(opened[side])
            assert message_events(heard) == expected, side
            created = [m["data"] for m in heard if m["type"] == "message.created"]
            assert created[0]["body"] == "hi" and created[1] == reply
            assert [m["data"] for m in heard if m["type"] == "message.updated"] == [edited]
        for outsider in ("other", "admin", "a2"):
            assert message_events(receive_until_pong(opened[outsider])) == [], outsider
    finally:
        for ws in sockets.values():
            ws.__exit__(None, None, None)


def hammer(bases: list[str], tokens: list[str], client_id: int) -> list[list[int]]:
    """SENDERS threads at once, each sending EACH messages one after another, alternating the two sides' tokens and
    the server processes; the ids each thread was answered, in its own order."""
    start = threading.Barrier(SENDERS)

    def sender(n: int) -> list[int]:
        base, token = bases[n % len(bases)], tokens[n % len(tokens)]
        start.wait()
        return [request(base, "POST", f"/api/conversations/{client_id}/messages", token,
                        {"body": f"sender {n} message {k}"})["id"] for k in range(EACH)]

    with ThreadPoolExecutor(SENDERS) as pool:
        return list(pool.map(sender, range(SENDERS)))


async def collect(url: str, count: int, ready: asyncio.Event, timeout: float = 60.0) -> list[int]:
    """The ids of the first `count` message.created events a socket hears, in the order heard."""
    from websockets.asyncio.client import connect

    heard: list[int] = []
    async with connect(url) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        while json.loads(await ws.recv()) != {"type": "pong"}:
            pass
        ready.set()
        async with asyncio.timeout(timeout):
            while len(heard) < count:
                message = json.loads(await ws.recv())
                if message["type"] == "message.created":
                    heard.append(message["data"]["id"])
    return heard


def assert_ordered(sent: list[list[int]], heard: dict[str, list[int]], listed: list[int]) -> None:
    everything = sorted(i for ids in sent for i in ids)
    assert len(everything) == SENDERS * EACH == len(set(everything))
    for ids in sent:  # each sender's messages got ids in the order they were sent
        assert ids == sorted(ids)
    for side, ids in heard.items():  # each socket heard every message once, in id (= commit) order
        assert ids == everything, side
    assert listed == everything[::-1]  # and the thread lists them newest first


async def run_live(sockets: dict[str, str], bases: list[str], tokens: list[str], client_id: int) -> tuple[Any, ...]:
    ready = {side: asyncio.Event() for side in sockets}
    listeners = {side: asyncio.create_task(collect(url, SENDERS * EACH, ready[side])) for side, url in sockets.items()}
    await asyncio.wait_for(asyncio.gather(*(event.wait() for event in ready.values())), 15)
    sent = await asyncio.to_thread(hammer, bases, tokens, client_id)
    heard = {side: await task for side, task in listeners.items()}
    listed = await asyncio.to_thread(request, bases[0], "GET", f"/api/conversations/{client_id}/messages?limit=100",
                                     tokens[0])
    return sent, heard, [m["id"] for m in listed["items"]]


def test_twenty_concurrent_senders_are_heard_in_order(database_url: str, settings: Settings, studio: Studio,
                                                      tmp_path: Path) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    with live_server(database_url, settings, tmp_path / "server.log") as base:
        sockets = {"client": f"ws://{base}/ws/notifications?token={a1.token}",
                   "trainer": f"ws://{base}/ws/notifications?token={trainer.token}"}
        sent, heard, listed = asyncio.run(run_live(sockets, [base], [a1.token, trainer.token], a1.id))
    assert_ordered(sent, heard, listed)


@pytest.mark.skipif(not ON_POSTGRES, reason="several processes share one database only on PostgreSQL")
def test_two_processes_deliver_to_both_sides_in_order(database_url: str, settings: Settings, studio: Studio,
                                                      tmp_path: Path) -> None:
    a1, trainer = studio.client_a1, studio.trainer_a
    with live_server(database_url, settings, tmp_path / "one.log") as one, \
            live_server(database_url, settings, tmp_path / "two.log") as two:
        sockets = {"client": f"ws://{two}/ws/notifications?token={a1.token}",
                   "trainer": f"ws://{one}/ws/notifications?token={trainer.token}"}
        sent, heard, listed = asyncio.run(run_live(sockets, [one, two], [a1.token, trainer.token], a1.id))
    assert_ordered(sent, heard, listed)

"""Live-update sockets against `python -m elior serve`: an account holds at most WS_MAX_PER_USER of them (the oldest
closed with 4429), and a reader that stops reading is dropped on a byte budget or a time budget, long before
megabytes pile up for it. Events come from the real API (a trainer creating workouts for their client)."""
from __future__ import annotations

import contextlib
import json
import socket
import time
from pathlib import Path
from typing import Any, Iterator

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.live.serve import Served, closed_by_peer, elior_serve
from tests.live_server import signed_in_user

NOTES = "n" * 5000  # the longest notes a workout takes: each event is about 5.3 KB


def ws_url(served: Served, path: str, token: str) -> str:
    return f"ws://127.0.0.1:{served.port}{path}?token={token}"


def open_sockets(served: Served, admin_token: str) -> int:
    answer = httpx.get(f"{served.base_url}/api/system/health", headers={"Authorization": f"Bearer {admin_token}"},
                       timeout=10)
    assert answer.status_code == 200, answer.text
    return int(answer.json()["open_sockets"])


def wait_for_sockets(served: Served, admin_token: str, count: int, bound: float = 20.0) -> int:
    deadline, now_open = time.monotonic() + bound, -1
    while time.monotonic() < deadline:
        now_open = open_sockets(served, admin_token)
        if now_open == count:
            break
        time.sleep(0.2)
    return now_open


def stalled_socket(served: Served, path: str) -> socket.socket:
    """A WebSocket client that completes the handshake and then never reads, with a tiny receive buffer (so the
    bytes pile up on the server's side, where the budgets apply, not in this client's kernel)."""
    peer = socket.socket()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    peer.connect(("127.0.0.1", served.port))
    peer.sendall((f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += peer.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return peer


@pytest.fixture
def cast(database_url: str) -> dict[str, Any]:
    admin_id, admin = signed_in_user(database_url, "admin")
    trainer_id, trainer = signed_in_user(database_url, "trainer")
    client_id, client = signed_in_user(database_url, "client", trainer_id=trainer_id)
    return {"admin": admin, "trainer": trainer, "client": client, "client_id": client_id}


def create_workouts(served: Served, cast: dict[str, Any], count: int) -> None:
    headers = {"Authorization": f"Bearer {cast['trainer']}"}
    with httpx.Client(base_url=served.base_url, headers=headers, timeout=30) as http:
        for number in range(count):
            answer = http.post("/api/workouts", json={"client_id": cast["client_id"], "title": f"Session {number}",
                                                      "notes": NOTES, "scheduled_for": "2026-12-24"})
            assert answer.status_code == 201, answer.text


@pytest.fixture
def served(database_url: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Served]:
    with elior_serve(database_url, tmp_path, **getattr(request, "param", {})) as server:
        yield server


@pytest.mark.parametrize("served", [{"WS_MAX_PER_USER": "3"}], indirect=True)
def test_one_socket_past_the_cap_closes_the_accounts_oldest_with_4429(served: Served, cast: dict[str, Any]) -> None:
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(connect(ws_url(served, path, cast["client"]), open_timeout=10))
                   for path in ("/ws/workouts", "/ws/progress", "/ws/notifications")]
        sockets[1].send(json.dumps({"type": "ping"}))
        assert json.loads(sockets[1].recv(timeout=10)) == {"type": "pong"}  # all three registered
        sockets.append(stack.enter_context(connect(ws_url(served, "/ws/workouts", cast["client"]), open_timeout=10)))
        with pytest.raises(ConnectionClosed):
            sockets[0].recv(timeout=10)
        assert sockets[0].close_code == 4429, (sockets[0].close_code, sockets[0].close_reason)
        assert "oldest" in (sockets[0].close_reason or "")
        for kept in sockets[1:]:
            kept.send(json.dumps({"type": "ping"}))
            assert json.loads(kept.recv(timeout=10)) == {"type": "pong"}
        # Another account is not affected by this one's sockets.
        other = stack.enter_context(connect(ws_url(served, "/ws/workouts", cast["trainer"]), open_timeout=10))
        other.send(json.dumps({"type": "ping"}))
        assert json.loads(other.recv(timeout=10)) == {"type": "pong"}


@pytest.mark.parametrize("served", [{"WS_MAX_QUEUED_BYTES": "50000", "WS_SEND_BUFFER_BYTES": "4096",
                                     "WS_STALL_SECONDS": "600"}], indirect=True)
def test_a_reader_that_stops_is_dropped_past_the_byte_budget(served: Served, cast: dict[str, Any]) -> None:
    """40 events (~210 KB): past a 50 KB queue, a 4 KB send buffer and the transport's 64 KB, the socket goes; before,
    the 64-message queue alone held 340 KB of these and the kernel megabytes more."""
    peer = stalled_socket(served, f"/ws/workouts?token={cast['client']}")
    with peer:
        assert wait_for_sockets(served, cast["admin"], 1) == 1
        create_workouts(served, cast, 40)
        assert wait_for_sockets(served, cast["admin"], 0) == 0
        peer.settimeout(10)
        assert closed_by_peer(peer)  # the server let go of the TCP connection too, not only of the hub's entry


@pytest.mark.parametrize("served", [{"WS_MAX_QUEUED_BYTES": "100000000", "WS_SEND_BUFFER_BYTES": "4096",
                                     "WS_STALL_SECONDS": "1"}], indirect=True)
def test_a_reader_that_stops_is_dropped_past_the_time_budget(served: Served, cast: dict[str, Any]) -> None:
    """20 events (~106 KB) fill the send buffer and the transport; one send then waits on the reader for over
    WS_STALL_SECONDS, with the queue far under its byte budget and its 64 messages."""
    peer = stalled_socket(served, f"/ws/workouts?token={cast['client']}")
    with peer:
        assert wait_for_sockets(served, cast["admin"], 1) == 1
        create_workouts(served, cast, 20)
        assert wait_for_sockets(served, cast["admin"], 0) == 0
        peer.settimeout(10)
        assert closed_by_peer(peer)


@pytest.mark.parametrize("served", [{"WS_SEND_BUFFER_BYTES": "4096", "WS_STALL_SECONDS": "1"}], indirect=True)
def test_a_reader_that_keeps_up_is_kept(served: Served, cast: dict[str, Any]) -> None:
    with connect(ws_url(served, "/ws/workouts", cast["client"]), open_timeout=10) as reader:
        create_workouts(served, cast, 40)
        kinds = [json.loads(reader.recv(timeout=10))["type"] for _ in range(40)]
        assert kinds == ["workout.created"] * 40
        assert open_sockets(served, cast["admin"]) == 1

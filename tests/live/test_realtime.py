"""Live updates end to end through real sockets: who receives what, authentication, origins, closing, limits.

Most tests use Starlette's TestClient sockets on the app with its lifespan (SQLite or PostgreSQL, as the suite runs).
The last ones start a real uvicorn process, for what only a real server shows: a reader too slow for its socket, and
what uvicorn writes to its logs about a handshake.
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, Iterator

import anyio
import jwt
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from starlette.testclient import TestClient, WebSocketTestSession
from starlette.websockets import WebSocketDisconnect

from elior.live.events import Event
from elior.settings import Settings
from tests.helpers import Person, Studio, make_person, run
from tests.live_server import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]


# --- helpers: reading a TestClient socket with a deadline, emitting events on the app's loop ---

def receive(ws: WebSocketTestSession, timeout: float = 5.0) -> dict[str, Any]:
    """The next message as JSON; raises WebSocketDisconnect on a close, fails after `timeout` seconds."""
    async def next_message() -> Any:
        with anyio.fail_after(timeout):
            return await ws._send_rx.receive()

    message = ws.portal.call(next_message)
    ws._raise_on_close(message)
    return json.loads(message["text"])  # type: ignore[no-any-return]


def close_code(ws: WebSocketTestSession, timeout: float = 5.0) -> int:
    """The code the server closes with; fails if it sends data first."""
    with pytest.raises(WebSocketDisconnect) as closed:
        data = receive(ws, timeout)
        pytest.fail(f"expected a close, got data: {data}")
    return closed.value.code


def emit(client: TestClient, kind: str, client_id: int, actor: Person | None = None, **data: Any) -> None:
    event = Event(kind, {"id": 1, **data}, client_id, actor.id if actor else None)
    run(client, client.app.state.events.emit, event)  # type: ignore[attr-defined]


def connect(client: TestClient, channel: str, person: Person | None = None, **headers: str) -> Any:
    query = f"?token={person.token}" if person else ""
    return client.websocket_connect(f"/ws/{channel}{query}", headers=dict(headers))


def make_token(settings: Settings, person: Person, login_id: int, expires_in: float) -> str:
    now = int(time.time())
    claims = {"sub": str(person.id), "role": person.role, "sid": login_id, "iat": now,
              "exp": int(now + expires_in), "jti": "t" + str(now), "typ": "access"}
    return jwt.encode(claims, settings.secret_key, algorithm=settings.algorithm)


def login_id_of(client: TestClient, person: Person) -> int:
    caller = run(client, client.app.state.authenticator.caller_for, person.token)  # type: ignore[attr-defined]
    return int(caller.login_id)


# --- who receives what ---

def test_client_socket_receives_trainer_write_in_contract_shape(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        emit(client, "workout.created", studio.client_a1.id, studio.trainer_a, title="Legs", scheduled_for="2026-12-01")
        message = receive(ws)
    assert set(message) == {"type", "data", "at"}
    assert message["type"] == "workout.created"
    assert message["data"] == {"id": 1, "title": "Legs", "scheduled_for": "2026-12-01"}
    assert dt.datetime.fromisoformat(message["at"].replace("Z", "+00:00")).tzinfo is not None
    assert message["at"].endswith("Z")


def test_trainer_socket_receives_events_of_own_client(client: TestClient, studio: Studio) -> None:
    with connect(client, "progress", studio.trainer_a) as ws:
        emit(client, "progress.created", studio.client_a1.id, studio.client_a1, date="2026-11-20")
        assert receive(ws)["type"] == "progress.created"


def test_other_trainer_and_other_client_receive_nothing_of_a1(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.trainer_b) as trainer_b, \
            connect(client, "workouts", studio.client_a2) as client_a2, \
            connect(client, "workouts", studio.client_b1) as client_b1:
        emit(client, "workout.created", studio.client_a1.id, studio.trainer_a, title="A1 only")
        # Then one event each may see: the first thing each socket receives must be that one, not A1's.
        emit(client, "workout.updated", studio.client_b1.id, studio.trainer_b, title="B1's")
        emit(client, "workout.updated", studio.client_a2.id, studio.trainer_a, title="A2's")
        assert receive(trainer_b)["data"]["title"] == "B1's"
        assert receive(client_b1)["data"]["title"] == "B1's"
        assert receive(client_a2)["data"]["title"] == "A2's"


def test_admin_socket_receives_every_clients_events(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.admin) as ws:
        emit(client, "workout.updated", studio.client_b1.id, studio.trainer_b, title="B1's")
        assert receive(ws)["data"]["title"] == "B1's"


def test_each_channel_carries_only_its_event_types(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    with connect(client, "workouts", a1) as workouts, connect(client, "progress", a1) as progress, \
            connect(client, "notifications", a1) as notes:
        emit(client, "progress.updated", a1.id, a1)
        emit(client, "meal_entry.created", a1.id, a1, meal_name="Lunch")
        emit(client, "workout.updated", a1.id, studio.trainer_a, title="Moved")
        assert receive(workouts)["type"] == "workout.updated"
        assert [receive(progress)["type"], receive(progress)["type"]] == ["progress.updated", "meal_entry.created"]
        assert receive(notes)["type"] == "notification.created"  # the workout.updated one, for the client


def test_trainer_write_through_the_api_reaches_the_clients_socket(client: TestClient, studio: Studio) -> None:
    a1 = studio.client_a1
    with connect(client, "workouts", a1) as ws, connect(client, "notifications", a1) as notes:
        response = client.post("/api/workouts", headers=studio.trainer_a.headers,
                               json={"client_id": a1.id, "title": "Push day", "scheduled_for": "2026-12-02"})
        assert response.status_code == 201, response.text
        message = receive(ws)
        note = receive(notes)
    assert message["type"] == "workout.created" and message["data"] == response.json()
    assert note["data"]["type"] == "workout.created" and note["data"]["data"]["id"] == response.json()["id"]


def test_client_logging_a_workout_notifies_the_trainer(client: TestClient, studio: Studio) -> None:
    workout = client.post("/api/workouts", headers=studio.trainer_a.headers, json={
        "client_id": studio.client_a1.id, "title": "Pull day", "scheduled_for": "2026-11-20"}).json()
    with connect(client, "notifications", studio.trainer_a) as notes, \
            connect(client, "notifications", studio.trainer_b) as other:
        response = client.post(f"/api/workouts/{workout['id']}/log", headers=studio.client_a1.headers,
                               json={"performed_at": "2026-11-20T10:00:00Z", "sets": []})
        assert response.status_code == 201, response.text
        note = receive(notes)
        emit(client, "progress.created", studio.client_b1.id, studio.client_b1)
        assert receive(other)["data"]["data"]["client_id"] == studio.client_b1.id  # not A1's
    assert note["type"] == "notification.created"
    assert note["data"]["type"] == "workout.completed" and "Pull day" in note["data"]["data"]["message"]


# --- authentication ---

def test_bad_token_closes_4401_before_any_data(client: TestClient, studio: Studio) -> None:
    with client.websocket_connect("/ws/workouts?token=not-a-token") as ws:
        assert close_code(ws) == 4401


def test_expired_token_closes_4401(client: TestClient, settings: Settings, studio: Studio) -> None:
    token = make_token(settings, studio.client_a1, login_id_of(client, studio.client_a1), expires_in=-5)
    with client.websocket_connect(f"/ws/notifications?token={token}") as ws:
        assert close_code(ws) == 4401


def test_missing_token_without_auth_message_closes_4401(client: TestClient, studio: Studio) -> None:
    client.app.state.hub.auth_timeout = 0.3  # type: ignore[attr-defined]
    with client.websocket_connect("/ws/workouts") as ws:
        assert close_code(ws, timeout=3) == 4401


def test_auth_message_authenticates_the_socket(client: TestClient, studio: Studio) -> None:
    with client.websocket_connect("/ws/workouts") as ws:
        ws.send_json({"type": "auth", "token": studio.client_a1.token})
        assert receive(ws)["type"] == "authenticated"
        emit(client, "workout.created", studio.client_a1.id, studio.trainer_a, title="Legs")
        assert receive(ws)["data"]["title"] == "Legs"


def test_auth_message_with_bad_token_closes_4401(client: TestClient, studio: Studio) -> None:
    with client.websocket_connect("/ws/workouts") as ws:
        ws.send_json({"type": "auth", "token": studio.client_a1.token + "x"})
        assert close_code(ws) == 4401


def test_first_message_other_than_auth_closes_4401(client: TestClient, studio: Studio) -> None:
    with client.websocket_connect("/ws/workouts") as ws:
        ws.send_json({"type": "ping"})
        assert close_code(ws) == 4401


def test_fresh_token_of_same_user_keeps_the_socket(client: TestClient, settings: Settings, studio: Studio) -> None:
    fresh = make_token(settings, studio.client_a1, login_id_of(client, studio.client_a1), expires_in=600)
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_json({"type": "auth", "token": fresh})
        assert receive(ws)["type"] == "authenticated"


def test_token_of_another_user_on_open_socket_closes_4401(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_json({"type": "auth", "token": studio.client_a2.token})
        assert close_code(ws) == 4401


# --- origins ---

def test_foreign_origin_closes_4403(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1, origin="https://evil.example") as ws:
        assert close_code(ws) == 4403


def test_null_origin_closes_4403(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1, origin="null") as ws:
        assert close_code(ws) == 4403


def test_own_origin_is_allowed(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1, origin="http://testserver") as ws:
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_cors_origin_is_allowed(settings: Settings, studio: Studio) -> None:
    from elior.app import create_app

    app = create_app(settings.with_overrides(cors_origins=("https://studio.example",)))
    with TestClient(app) as other, \
            other.websocket_connect(f"/ws/workouts?token={studio.client_a1.token}",
                                    headers={"origin": "https://studio.example"}) as ws:
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}


# --- closing: logout, deactivation, expiry ---

def test_logout_closes_the_socket_within_seconds(client: TestClient, studio: Studio) -> None:
    with connect(client, "notifications", studio.client_a1) as ws:
        assert client.post("/api/auth/logout", headers=studio.client_a1.headers).status_code == 204
        started = time.monotonic()
        assert close_code(ws, timeout=6) == 4401
    assert time.monotonic() - started < 5


def test_logout_leaves_other_logins_sockets_open(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        assert client.post("/api/auth/logout", headers=studio.client_a2.headers).status_code == 204
        time.sleep(2.5)  # past one watchdog round
        emit(client, "workout.updated", studio.client_a1.id, studio.trainer_a, title="still here")
        assert receive(ws)["data"]["title"] == "still here"


def test_deactivation_closes_the_users_sockets(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        response = client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers,
                              json={"is_active": False})
        assert response.status_code == 200, response.text
        assert close_code(ws, timeout=6) == 4401


def test_role_change_closes_the_socket(client: TestClient, studio: Studio) -> None:
    trainer = make_person(client, "trainer")  # with no clients, so an admin may change the role
    with connect(client, "workouts", trainer) as ws:
        response = client.put(f"/api/users/{trainer.id}", headers=studio.admin.headers, json={"role": "admin"})
        assert response.status_code == 200, response.text
        assert close_code(ws, timeout=6) == 4401  # an admin's socket sees everything: it must be opened anew


def test_token_expiry_closes_the_socket(client: TestClient, settings: Settings, studio: Studio) -> None:
    token = make_token(settings, studio.client_a1, login_id_of(client, studio.client_a1), expires_in=1.5)
    with client.websocket_connect(f"/ws/workouts?token={token}") as ws:
        assert close_code(ws, timeout=6) == 4401


# --- heartbeats and limits ---

def test_ping_gets_pong(client: TestClient, studio: Studio) -> None:
    with connect(client, "progress", studio.client_a1) as ws:
        ws.send_json({"type": "ping"})
        assert receive(ws) == {"type": "pong"}


def test_server_pings_an_idle_socket(client: TestClient, studio: Studio) -> None:
    client.app.state.hub.ping_interval = 0.1  # type: ignore[attr-defined]
    with connect(client, "workouts", studio.client_a1) as ws:
        assert receive(ws, timeout=5) == {"type": "ping"}


def test_oversized_client_message_closes_1009(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_json({"type": "ping", "padding": "x" * 5000})
        assert close_code(ws) == 1009


def test_binary_frame_closes_1003(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_bytes(b'{"type": "ping"}')
        assert close_code(ws) == 1003


def test_unknown_message_gets_an_error_reply(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_text("not json")
        reply = receive(ws)
    assert reply["type"] == "error" and "ping" in reply["data"]["detail"]


def test_flood_of_client_messages_closes_1008(client: TestClient, studio: Studio) -> None:
    with connect(client, "workouts", studio.client_a1) as ws:
        for _ in range(101):
            ws.send_json({"type": "pong"})
        assert close_code(ws) == 1008


def test_closed_socket_leaves_the_hub(client: TestClient, studio: Studio) -> None:
    hub = client.app.state.hub  # type: ignore[attr-defined]
    with connect(client, "workouts", studio.client_a1) as ws:
        ws.send_json({"type": "ping"})
        receive(ws)
        assert hub.open_sockets == 1
    deadline = time.monotonic() + 5
    while hub.open_sockets and time.monotonic() < deadline:
        time.sleep(0.02)
    assert hub.open_sockets == 0


# --- a real uvicorn process ---

def live_app() -> Starlette:
    """`uvicorn --factory tests.live.test_realtime:live_app`: the real app plus one route to emit an event by HTTP."""
    from elior import settings as settings_module
    from elior.app import create_app
    from elior.ops import logs
    from elior.web.routing import PUBLIC, Call, api

    loaded = settings_module.load()
    logs.configure(loaded.log_level)
    app = create_app(loaded)

    async def emit_event(call: Call) -> JSONResponse:
        body: dict[str, Any] = await call.request.json()
        emitted_at = time.time()
        await call.request.app.state.events.emit(Event(body["type"], {**body["data"], "emitted_at": emitted_at},
                                                       body["client_id"], body.get("actor_id")))
        return JSONResponse({"emitted_at": emitted_at, "hub": call.request.app.state.hub.stats()})

    async def hub_stats(request: Request) -> JSONResponse:
        return JSONResponse(request.app.state.hub.stats())

    stats_route = Route("/test/hub", hub_stats)
    stats_route.access = PUBLIC  # type: ignore[attr-defined]
    app.router.routes[:0] = [api("POST", "/test/emit", emit_event, access=PUBLIC, parse_body=False), stats_route]
    return app


@contextlib.contextmanager
def live_server(database_url: str, settings: Settings, log_path: Path, **env: str) -> Iterator[str]:
    """A real uvicorn process on a free port; yields its base URL and always stops it."""
    port = free_port()
    environment = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": settings.secret_key,
                   "ELIOR_DATA_DIR": str(settings.data_dir), "BCRYPT_ROUNDS": "4", "LOG_LEVEL": "INFO",
                   "PYTHONPATH": str(ROOT), **env}
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "tests.live.test_realtime:live_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "info", "--ws-max-size", "65536"],
            cwd=ROOT, env=environment, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"uvicorn did not start: {log_path.read_text()[-2000:]}") from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        stop_process(process)


def post_json(base: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(f"http://{base}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def get_json(base: str, path: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://{base}{path}", timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]


def stalled_socket(base: str, path: str) -> socket.socket:
    """A WebSocket client that completes the handshake and then never reads, with a tiny receive buffer."""
    host, port = base.split(":")
    peer = socket.socket()
    peer.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # no autotuning up to tens of MB
    peer.connect((host, int(port)))
    peer.sendall((f"GET {path} HTTP/1.1\r\nHost: {base}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += peer.recv(1)
    assert head.startswith(b"HTTP/1.1 101"), head
    return peer


def test_slow_reader_is_disconnected_not_buffered(database_url: str, settings: Settings, studio: Studio,
                                                  tmp_path: Path) -> None:
    with live_server(database_url, settings, tmp_path / "server.log") as base:
        peer = stalled_socket(base, f"/ws/workouts?token={studio.client_a1.token}")
        try:
            assert get_json(base, "/test/hub")["open"] == 1
            padding = "x" * 100_000
            for _ in range(200):  # 20 MB: far more than the socket buffers and the 64-message queue hold
                post_json(base, "/test/emit", {"type": "workout.updated", "client_id": studio.client_a1.id,
                                               "data": {"notes": padding}})
            deadline = time.monotonic() + 10
            while get_json(base, "/test/hub")["open"] and time.monotonic() < deadline:
                time.sleep(0.1)
            stats = get_json(base, "/test/hub")
        finally:
            peer.close()
    assert stats["dropped_slow"] == 1
    assert stats["open"] == 0
    assert stats["delivered"] < 200


def test_token_is_never_written_to_the_logs(database_url: str, settings: Settings, studio: Studio,
                                            tmp_path: Path) -> None:
    from websockets.asyncio.client import connect as ws_connect

    async def scenario(base: str) -> None:
        async with ws_connect(f"ws://{base}/ws/notifications?token={studio.client_a1.token}") as ws:
            await ws.send('{"type": "ping"}')
            assert json.loads(await ws.recv()) == {"type": "pong"}
        async with ws_connect(f"ws://{base}/ws/workouts?token=bad.{studio.client_a2.token}") as ws:
            with contextlib.suppress(Exception):
                await ws.recv()
            assert ws.close_code == 4401

    log_path = tmp_path / "server.log"
    with live_server(database_url, settings, log_path) as base:
        asyncio.run(scenario(base))
    written = log_path.read_text()
    assert "/ws/notifications" in written  # uvicorn did log the handshakes ...
    assert studio.client_a1.token not in written and studio.client_a2.token not in written  # ... without tokens
    assert "token=[redacted]" in written


def console_snippet() -> str:
    """The docs' browser console snippet (the live-updates page; the README's section before the docs site), as a
    reader would paste it."""
    page = ROOT / "docs" / "live-updates.md"
    text = page.read_text() if page.exists() else (ROOT / "README.md").read_text()
    section = text.split("# A client's live feed, from the browser console", 1)[1]
    return section.split("```js\n", 1)[1].split("```", 1)[0]


@pytest.mark.browser
def test_docs_console_snippet_shows_a_clients_live_feed(database_url: str, settings: Settings, studio: Studio,
                                                         tmp_path: Path) -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing (CI installs Debian's chromium package)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    snippet = console_snippet().replace("client@example.com", studio.client_a1.email) \
        .replace("their password", studio.client_a1.password)
    with live_server(database_url, settings, tmp_path / "server.log") as base, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            lines: list[str] = []
            page.on("console", lambda message: lines.append(message.text))
            page.goto(f"http://{base}/")
            page.evaluate(f"async () => {{ {snippet}\n window.__feeds = feeds; }}")
            deadline = time.monotonic() + 10  # polled with evaluate: the page's CSP forbids wait_for_function's eval
            while not page.evaluate("() => window.__feeds.every((ws) => ws.readyState === 1)"):
                assert time.monotonic() < deadline, lines
                page.wait_for_timeout(50)
            workout = request_json(base, "POST", "/api/workouts", studio.trainer_a.token, {
                "client_id": studio.client_a1.id, "title": "Seen in the console", "scheduled_for": "2026-12-05"})
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and not (
                    any("[workouts]" in line and "workout.created" in line for line in lines)
                    and any("[notifications]" in line and "notification.created" in line for line in lines)):
                page.wait_for_timeout(100)
        finally:
            browser.close()
    assert any("[workouts]" in line and "workout.created" in line for line in lines), lines
    assert any("[notifications]" in line and "notification.created" in line for line in lines), lines
    assert workout["title"] == "Seen in the console"


def request_json(base: str, method: str, path: str, token: str, body: dict[str, Any]) -> dict[str, Any]:
    req = urllib.request.Request(f"http://{base}{path}", data=json.dumps(body).encode(), method=method,
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as response:
        return json.loads(response.read())  # type: ignore[no-any-return]

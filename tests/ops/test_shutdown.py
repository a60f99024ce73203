"""Graceful shutdown of a real server: SIGTERM under write load loses no acknowledged write; sockets get 1001.
Also the deployment entry points: the Procfile's command serves."""
from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from pathlib import Path

import httpx2 as httpx  # the pinned client (requirements-dev.txt); the API of httpx
import pytest

from elior.ops.shutdown import ShutdownHooks
from tests.live.serve import elior_serve
from tests.live_server import ROOT, WriteLoad, environment, free_port, signed_in_user, start
from tests.ops.test_backup import login_ids


def test_sigterm_under_write_load_loses_no_acknowledged_write(database_url: str, tmp_path: Path) -> None:
    _, token = signed_in_user(database_url)
    server = start(environment(database_url, tmp_path), tmp_path / "server.log")
    with WriteLoad(server.base_url, token, threads=8) as load:
        load.wait_for(100)
        sent_at = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        returncode = server.process.wait(30)
        load.stop()
    assert returncode in (0, -signal.SIGTERM), server.log()[-3000:]
    acknowledged = load.all_ids()
    stored = login_ids(database_url)
    assert acknowledged <= stored, f"{len(acknowledged - stored)} acknowledged writes lost"
    # Requests in flight when the signal came were finished and answered, not dropped.
    assert load.ids_before(float("inf")) - load.ids_before(sent_at), "no request in flight was finished"
    assert "Traceback" not in server.log()


def test_server_stops_accepting_after_sigterm(database_url: str, tmp_path: Path) -> None:
    signed_in_user(database_url)
    server = start(environment(database_url, tmp_path), tmp_path / "server.log")
    server.process.send_signal(signal.SIGTERM)
    server.process.wait(30)
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.base_url}/health", timeout=2)


def test_sigterm_closes_live_sockets_with_1001(database_url: str, tmp_path: Path) -> None:
    from websockets.sync.client import connect

    _, token = signed_in_user(database_url)
    server = start(environment(database_url, tmp_path), tmp_path / "server.log")
    try:
        url = server.base_url.replace("http://", "ws://") + "/ws/notifications"
        with connect(url, open_timeout=5) as socket:
            socket.send(json.dumps({"type": "auth", "token": token}))
            assert json.loads(socket.recv(timeout=5))["type"] == "authenticated"  # registered with the hub
            server.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    socket.recv(timeout=deadline - time.monotonic())
                except Exception:
                    break
            assert socket.close_code == 1001, (socket.close_code, socket.close_reason)
    finally:
        server.terminate()


def test_shutdown_hooks_run_once_and_survive_a_failing_hook() -> None:
    hooks, ran = ShutdownHooks(), []

    async def failing() -> None:
        raise RuntimeError("boom")

    async def recording() -> None:
        ran.append("ran")

    hooks.register(failing)
    hooks.register(recording)

    async def twice() -> None:
        await hooks.run()
        await hooks.run()

    asyncio.run(twice())
    assert ran == ["ran"]


def test_procfile_command_serves(database_url: str, tmp_path: Path) -> None:
    line = (ROOT / "Procfile").read_text().strip()
    assert line.startswith("web: ")
    port = free_port()
    env = environment(database_url, tmp_path, PORT=str(port))
    process = subprocess.Popen(["/bin/sh", "-c", f"exec {line.removeprefix('web: ')}"], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and answer is None and process.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).json()
            except httpx.HTTPError:
                time.sleep(0.1)
        assert answer == {"status": "ok"}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(30)


def test_dockerfile_runs_as_non_root_with_a_data_volume() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    assert any(line.startswith("FROM python:3.11-slim") for line in lines)
    assert "USER elior" in lines and 'VOLUME ["/data"]' in lines
    assert any(line.startswith("CMD") and "elior" in line for line in lines)
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"data", ".git", "*.db"} <= set(ignored)


def test_sigterm_exits_0_after_the_graceful_shutdown(database_url: str, tmp_path: Path) -> None:
    """The production command: uvicorn used to re-raise the signal it handled, so the process died of it (143)."""
    with elior_serve(database_url, tmp_path, LOG_LEVEL="INFO") as served:
        served.process.send_signal(signal.SIGTERM)
        returncode = served.process.wait(30)
    assert returncode == 0, served.log()[-3000:]
    assert "Application shutdown complete" in served.log()

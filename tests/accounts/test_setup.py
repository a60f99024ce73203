"""The first start: the admin from the environment, or a setup link that is random, stored hashed, single-use,
expiring, replaced at each start, and one the owner can open (never http://0.0.0.0)."""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.accounts import bootstrap
from elior.app import create_app
from elior.settings import Settings
from elior.web.errors import ApiError
from tests.helpers import assert_error, make_person, run
from tests.live_server import ROOT, environment, free_port, stop_process

SETUP_LINK = re.compile(r"(https?://\S+/setup\?token=([^\s\"]+))([^\"]*)")


def tokens_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [found.group(2) for r in caplog.records if (found := SETUP_LINK.search(r.getMessage()))]


def setup(client: TestClient, token: str, email: str = "owner@example.test") -> Any:
    return client.post("/api/auth/setup", json={"token": token, "email": email, "password": "the owners password",
                                                "full_name": "Owner"})


def login(client: TestClient, email: str, password: str) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


@pytest.fixture
def logged(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.INFO)
    return caplog


# --- the token ---

def test_first_start_logs_one_setup_url_that_creates_the_admin(logged: pytest.LogCaptureFixture,
                                                               settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        [token] = tokens_logged(logged)
        response = setup(fresh, token)
        assert response.status_code == 201, response.text
        assert response.json()["role"] == "admin"
        assert response.headers["cache-control"] == "no-store" and response.headers["pragma"] == "no-cache"
        assert login(fresh, "owner@example.test", "the owners password").status_code == 200
        assert_error(setup(fresh, token, "second@example.test"), 404)  # once an admin exists


def test_setup_tokens_are_random_and_stored_only_as_a_hash(logged: pytest.LogCaptureFixture,
                                                           settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        [token] = tokens_logged(logged)
        assert len(token) >= 43  # 256 random bits
        db = fresh.app.state.db  # type: ignore[attr-defined]
        assert run(fresh, db.fetch_one, "accounts.bootstrap.token", token_hash=token) is None
        assert run(fresh, db.fetch_one, "accounts.bootstrap.token",
                   token_hash=hashlib.sha256(token.encode()).hexdigest()) is not None
        if db.path is not None:  # on SQLite, the plain token is nowhere in the database's files
            stored = b"".join(path.read_bytes() for path in Path(db.path).parent.glob(Path(db.path).name + "*"))
            assert token.encode() not in stored


def test_setup_with_a_wrong_token_is_a_403(client: TestClient) -> None:
    body = assert_error(setup(client, "not-the-token"), 403)
    assert "latest start" in body["detail"]


def test_a_setup_token_is_spent_by_its_setup(logged: pytest.LogCaptureFixture, settings: Settings) -> None:
    with TestClient(create_app(settings)) as fresh:
        [token] = tokens_logged(logged)
        assert setup(fresh, token).status_code == 201
        db = fresh.app.state.db  # type: ignore[attr-defined]
        with pytest.raises(ApiError) as refused:
            run(fresh, bootstrap.check_setup_token, db, token)
        assert refused.value.status_code == 403 and "already used" in refused.value.detail


def test_a_failed_setup_keeps_the_token(logged: pytest.LogCaptureFixture, settings: Settings) -> None:
    """A setup refused for its email (taken by a client who registered first) leaves the token usable."""
    with TestClient(create_app(settings.with_overrides(allow_registration=True))) as fresh:
        [token] = tokens_logged(logged)
        assert fresh.post("/api/auth/register", json={"email": "owner@example.test", "password": "a good password",
                                                      "full_name": "Early Client"}).status_code == 201
        assert_error(setup(fresh, token), 409)
        assert setup(fresh, token, "the-owner@example.test").status_code == 201


def test_a_setup_token_expires_after_24_hours(logged: pytest.LogCaptureFixture, settings: Settings,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with TestClient(create_app(settings)) as fresh:
        [token] = tokens_logged(logged)
        later = clock.now() + dt.timedelta(hours=24, seconds=1)
        monkeypatch.setattr(clock, "now", lambda: later)
        body = assert_error(setup(fresh, token), 403)
        assert "expired" in body["detail"] and "restart" in body["detail"]


def test_each_start_makes_a_new_token_and_kills_the_old(logged: pytest.LogCaptureFixture,
                                                        settings: Settings) -> None:
    with TestClient(create_app(settings)):
        pass
    with TestClient(create_app(settings)) as restarted:
        old, new = tokens_logged(logged)
        assert old != new
        assert_error(setup(restarted, old), 403)
        assert setup(restarted, new).status_code == 201


def test_the_latest_token_works_in_every_process(logged: pytest.LogCaptureFixture, settings: Settings) -> None:
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)):
        _, latest = tokens_logged(logged)
        assert setup(first, latest).status_code == 201  # made by the second process, kept in the shared database


def test_first_start_creates_the_admin_from_the_environment(settings: Settings,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    configured = settings.with_overrides(admin_email="Boss@Example.test", admin_password="the boss password")
    with TestClient(create_app(configured)) as started:
        response = login(started, "boss@example.test", "the boss password")
        assert response.status_code == 200 and response.json()["user"]["role"] == "admin"
    assert tokens_logged(caplog) == []


def test_no_setup_url_and_no_token_once_an_admin_exists(logged: pytest.LogCaptureFixture,
                                                        settings: Settings) -> None:
    with TestClient(create_app(settings)) as first:
        [token] = tokens_logged(logged)
        make_person(first, "admin")  # made another way (the CLI, say): the link's token must not outlive that
    logged.clear()
    with TestClient(create_app(settings)) as again:
        db = again.app.state.db  # type: ignore[attr-defined]
        assert run(again, db.fetch_one, "accounts.bootstrap.token",
                   token_hash=hashlib.sha256(token.encode()).hexdigest()) is None
    assert tokens_logged(logged) == []


# --- the link ---

@pytest.mark.parametrize("changes,expected,note", [
    ({"host": "127.0.0.1", "port": 8000}, "http://127.0.0.1:8000", False),
    ({"host": "0.0.0.0", "port": 8080}, "http://127.0.0.1:8080", True),
    ({"host": "::", "port": 8080}, "http://[::1]:8080", True),
    ({"host": "192.168.1.20", "port": 9000}, "http://192.168.1.20:9000", False),
    ({"host": "0.0.0.0", "domain": "studio.example", "environment": "production"}, "https://studio.example", False),
    ({"host": "0.0.0.0", "port": 8000, "domain": "studio.lan"}, "http://studio.lan:8000", False),
    ({"host": "0.0.0.0", "port": 8000, "domain": "localhost", "environment": "production"},
     "http://127.0.0.1:8000", True),
])
def test_the_setup_link_is_one_the_owner_can_open(changes: dict[str, Any], expected: str, note: bool) -> None:
    base, said = bootstrap.base_url(Settings(**changes))
    assert base == expected
    assert ("every interface" in said) == note


def _serve(env: dict[str, str], log_path: Path, *args: str) -> tuple["subprocess.Popen[bytes]", str, str]:
    """`python -m elior serve` with a fresh log; the setup link it printed and the rest of that line, once it
    answers there."""
    with log_path.open("wb") as handle:
        process = subprocess.Popen([sys.executable, "-m", "elior", "serve", *args], cwd=ROOT, env=env,
                                   stdout=handle, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited with {process.returncode}:\n{log_path.read_text()[-3000:]}")
        found = SETUP_LINK.search(log_path.read_text(errors="replace"))
        if found:
            try:
                if httpx.get(found.group(1), timeout=1).status_code == 200:  # the owner's browser opens it
                    return process, found.group(1), found.group(3)
            except httpx.HTTPError:
                pass
        time.sleep(0.05)
    stop_process(process)
    raise AssertionError(f"no working setup link within 30 s:\n{log_path.read_text()[-3000:]}")


def _setup(link: str, token: str, email: str = "owner@example.test") -> Any:
    parts = urlsplit(link)
    return httpx.post(f"{parts.scheme}://{parts.netloc}/api/auth/setup", timeout=20, json={
        "token": token, "email": email, "password": "the owners password", "full_name": "Owner"})


def test_a_real_server_prints_a_working_one_time_link(database_url: str, tmp_path: Path) -> None:
    env = environment(database_url, tmp_path / "data")
    process, first_link, said = _serve(env, tmp_path / "first.log", "--host", "0.0.0.0", "--port", "0")
    stop_process(process)
    assert first_link.startswith("http://127.0.0.1:") and not first_link.startswith("http://127.0.0.1:0/")
    assert "every interface" in said  # 0.0.0.0 is where it listens, not an address to open
    first = parse_qs(urlsplit(first_link).query)["token"][0]

    port = free_port()
    process, link, said = _serve(env, tmp_path / "second.log", "--port", str(port))
    try:
        assert link.startswith(f"http://127.0.0.1:{port}/setup?token=") and "every interface" not in said
        token = parse_qs(urlsplit(link).query)["token"][0]
        assert token != first
        assert_error(_setup(link, first), 403)  # the restart killed the first link
        made = _setup(link, token)
        assert made.status_code == 201, made.text
        assert made.headers["cache-control"] == "no-store"
        assert_error(_setup(link, token, "someone@example.test"), 404)  # spent, and an admin exists
    finally:
        stop_process(process)

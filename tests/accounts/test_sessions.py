"""The caller's sessions (issue 17): listed with when and where they signed in and were last used, one ended (its
tokens stop working), every other ended; never another account's."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.settings import Settings
from tests.accounts.test_reset import bearer, sign_in
from tests.helpers import Studio, assert_error
from tests.live.test_realtime import close_code
from tests.mail.conftest import MovableClock


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.with_overrides(rate_limit_per_minute=0)


def sessions(client: TestClient, headers: dict[str, str], **query: Any) -> dict[str, Any]:
    response = client.get("/api/auth/sessions", headers=headers, params=query)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_the_list_shows_the_callers_logins_and_marks_the_current_one(client: TestClient, studio: Studio) -> None:
    email = studio.client_a1.email
    phone = sign_in(client, email, agent="Phone Browser")
    laptop = sign_in(client, email, agent="Laptop Browser")
    sign_in(client, studio.client_a2.email, agent="Someone Else")
    page = sessions(client, bearer(laptop))
    assert page["total"] == 3 and page["limit"] == 20 and page["offset"] == 0  # with the cast's own login
    by_agent = {item["user_agent"]: item for item in page["items"]}
    assert set(by_agent) == {"Phone Browser", "Laptop Browser", "pytest"}
    assert [by_agent[a]["current"] for a in ("Phone Browser", "Laptop Browser", "pytest")] == [False, True, False]
    item = by_agent["Phone Browser"]
    assert set(item) == {"id", "created_at", "last_used_at", "address", "user_agent", "current"}
    assert item["address"] == "testclient" and item["created_at"].endswith("Z")
    assert item["last_used_at"] >= item["created_at"]
    assert sessions(client, bearer(phone), limit=1, offset=1)["items"][0]["id"] != \
        sessions(client, bearer(phone), limit=1)["items"][0]["id"]


def test_last_use_moves_at_refresh(client: TestClient, studio: Studio, monkeypatch: pytest.MonkeyPatch) -> None:
    moving = MovableClock(monkeypatch)
    moving.move(minutes=-10)  # sign in ten minutes ago (tokens are checked against the real clock: none from later)
    tokens = sign_in(client, studio.client_a1.email, agent="Refresher")
    moving.move(minutes=10)
    fresh = client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]}).json()
    [item] = [i for i in sessions(client, bearer(fresh))["items"] if i["user_agent"] == "Refresher"]
    assert item["last_used_at"] == clock.iso(moving.at)
    assert item["created_at"] == clock.iso(moving.at - dt.timedelta(minutes=10))
    assert item["current"] is True


def test_ending_a_session_stops_its_tokens(client: TestClient, studio: Studio) -> None:
    email = studio.trainer_a.email
    mine, other = sign_in(client, email, agent="Mine"), sign_in(client, email, agent="Other")
    [target] = [i for i in sessions(client, bearer(mine))["items"] if i["user_agent"] == "Other"]
    assert client.delete(f"/api/auth/sessions/{target['id']}", headers=bearer(mine)).status_code == 204
    assert_error(client.get("/api/auth/me", headers=bearer(other)), 401)
    assert_error(client.post("/api/auth/refresh", json={"refresh_token": other["refresh_token"]}), 401)
    assert client.get("/api/auth/me", headers=bearer(mine)).status_code == 200
    assert target["id"] not in {i["id"] for i in sessions(client, bearer(mine))["items"]}
    assert_error(client.delete(f"/api/auth/sessions/{target['id']}", headers=bearer(mine)), 404)  # already ended


def test_another_accounts_session_is_not_found_and_keeps_working(client: TestClient, studio: Studio) -> None:
    victim = sign_in(client, studio.client_a1.email, agent="Victim")
    victim_login = [i for i in sessions(client, bearer(victim))["items"] if i["current"]][0]["id"]
    for caller in (studio.client_a2, studio.trainer_a, studio.admin):
        assert_error(client.delete(f"/api/auth/sessions/{victim_login}", headers=caller.headers), 404)
        assert victim_login not in {i["id"] for i in sessions(client, caller.headers)["items"]}
    assert client.get("/api/auth/me", headers=bearer(victim)).status_code == 200
    assert_error(client.delete("/api/auth/sessions/999999999", headers=bearer(victim)), 404)


def test_ending_the_current_session_signs_out(client: TestClient, studio: Studio) -> None:
    tokens = sign_in(client, studio.client_a1.email)
    current = [i for i in sessions(client, bearer(tokens))["items"] if i["current"]][0]["id"]
    assert client.delete(f"/api/auth/sessions/{current}", headers=bearer(tokens)).status_code == 204
    assert_error(client.get("/api/auth/sessions", headers=bearer(tokens)), 401)


def test_sign_out_everywhere_else(client: TestClient, studio: Studio) -> None:
    email = studio.client_a1.email
    keep, *others = (sign_in(client, email, agent=f"Device {n}") for n in range(3))
    untouched = sign_in(client, studio.client_a2.email)
    assert client.post("/api/auth/sessions/end-others", headers=bearer(keep)).status_code == 204
    for tokens in others:
        assert_error(client.get("/api/auth/me", headers=bearer(tokens)), 401)
    assert_error(client.get("/api/auth/me", headers=studio.client_a1.headers), 401)
    [only] = sessions(client, bearer(keep))["items"]
    assert only["current"] is True and only["user_agent"] == "Device 0"
    assert client.get("/api/auth/me", headers=bearer(untouched)).status_code == 200


def test_the_sessions_routes_need_a_signed_in_caller_and_an_honest_page(client: TestClient, studio: Studio) -> None:
    assert_error(client.get("/api/auth/sessions"), 401)
    assert_error(client.post("/api/auth/sessions/end-others"), 401)
    assert_error(client.delete("/api/auth/sessions/1"), 401)
    assert_error(client.get("/api/auth/sessions", headers=studio.admin.headers, params={"limit": 101}), 422)
    assert_error(client.get("/api/auth/sessions", headers=studio.admin.headers, params={"order": "id"}), 422)


def test_ending_a_session_closes_its_sockets(client: TestClient, studio: Studio) -> None:
    mine, other = sign_in(client, studio.client_a1.email, agent="Mine"), sign_in(client, studio.client_a1.email)
    [target] = [i for i in sessions(client, bearer(other))["items"] if i["current"]]
    with client.websocket_connect(f"/ws/workouts?token={other['access_token']}") as ws:
        assert client.delete(f"/api/auth/sessions/{target['id']}", headers=bearer(mine)).status_code == 204
        assert close_code(ws, timeout=6) == 4401

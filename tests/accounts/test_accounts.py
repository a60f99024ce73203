"""Accounts: login (JSON and form), failed-login limits, register with invites, me, password change, the CLI.
Passwords: test_passwords.py; emails: test_emails.py; the first start's setup link: test_setup.py."""
from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from starlette.testclient import TestClient

from elior import clock
from elior.accounts.passwords import PasswordHasher
from elior.app import create_app
from elior.settings import Settings
from elior.web.errors import ApiError
from tests.helpers import PASSWORD, Person, Studio, assert_error, make_person

ROOT = Path(__file__).resolve().parents[2]


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    return client.post("/api/auth/login", json={"email": email, "password": password})


def invite(client: TestClient, by: Person, **body: Any) -> str:
    response = client.post("/api/invites", headers=by.headers, json={"role": "client", **body})
    assert response.status_code == 201, response.text
    return response.json()["code"]  # type: ignore[no-any-return]


def register(client: TestClient, **body: Any) -> Any:
    return client.post("/api/auth/register", json={"email": "new@example.test", "password": "a good password",
                                                   "full_name": "New Person", **body})


# --- login ---

def test_login_accepts_the_oauth2_password_form(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/auth/login", data={"username": studio.trainer_a.email, "password": PASSWORD,
                                                    "grant_type": "password", "scope": ""})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == studio.trainer_a.id


def test_login_email_is_case_insensitive(client: TestClient, studio: Studio) -> None:
    assert login(client, studio.client_a1.email.upper()).status_code == 200


def test_login_wrong_password_and_unknown_email_answer_alike(client: TestClient, studio: Studio) -> None:
    wrong = assert_error(login(client, studio.client_a1.email, "not the password"), 401)
    unknown = assert_error(login(client, "nobody@example.test", "not the password"), 401)
    assert wrong == unknown


def test_login_unknown_email_still_checks_a_hash(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same bcrypt work for an unknown email as for a wrong password, so timing tells nothing."""
    hasher = client.app.state.passwords  # type: ignore[attr-defined]
    checked: list[str | None] = []
    original = hasher.verify

    async def spy(password: str, hashed: str | None) -> bool:
        checked.append(hashed)
        return await original(password, hashed)

    monkeypatch.setattr(hasher, "verify", spy)
    assert_error(login(client, "nobody@example.test", "whatever it is"), 401)
    assert checked == [None]


def test_deactivated_account_does_not_confirm_its_password(client: TestClient, studio: Studio,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The right and the wrong password of a deactivated account get the same 401 as an unknown email, each after a
    bcrypt check of the account's own hash, so neither the body nor the time tells whether a guess was right."""
    me = studio.client_a1
    client.put(f"/api/users/{me.id}", headers=studio.admin.headers, json={"is_active": False})
    hasher = client.app.state.passwords  # type: ignore[attr-defined]
    checked: list[tuple[str | None, bool]] = []
    original = hasher.verify

    async def spy(password: str, hashed: str | None) -> bool:
        matched = await original(password, hashed)
        checked.append((hashed, matched))
        return matched

    monkeypatch.setattr(hasher, "verify", spy)
    right, wrong = login(client, me.email), login(client, me.email, "not the password")
    unknown = login(client, "nobody@example.test", "not the password")
    assert assert_error(right, 401) == assert_error(wrong, 401) == assert_error(unknown, 401)
    assert right.headers["www-authenticate"] == wrong.headers["www-authenticate"] == "Bearer"
    own_hash = checked[0][0]
    assert own_hash is not None and checked[:2] == [(own_hash, True), (own_hash, False)]  # bcrypt ran both times


def test_deactivated_account_attempts_count_as_failures(client: TestClient, studio: Studio) -> None:
    """Otherwise ten right guesses would not block where ten wrong ones do, and that difference would tell."""
    client.put(f"/api/users/{studio.client_a1.id}", headers=studio.admin.headers, json={"is_active": False})
    for _ in range(10):
        assert_error(login(client, studio.client_a1.email), 401)
    assert_error(login(client, studio.client_a1.email), 429)


def test_a_failed_login_counts_on_metrics(client: TestClient, studio: Studio) -> None:
    def failures() -> float:
        text = client.get("/metrics", headers=studio.admin.headers).text
        return float(re.search(r"^elior_login_failures_total (\S+)$", text, re.M).group(1))  # type: ignore[union-attr]

    before = failures()
    assert_error(login(client, studio.client_a1.email, "not the password"), 401)
    assert failures() == before + 1
    assert login(client, studio.client_a1.email).status_code == 200
    assert failures() == before + 1  # a successful login is no failure


def test_login_missing_fields_are_a_422(client: TestClient) -> None:
    for wrong in ({"json": {"email": "a@example.test"}}, {"data": {"password": "x"}},
                  {"json": {"email": "a@example.test", "password": "x", "role": "admin"}}):
        assert_error(client.post("/api/auth/login", **wrong), 422)


# --- failed-login limits ---

def test_ten_failures_block_the_account_with_retry_after(client: TestClient, studio: Studio) -> None:
    for _ in range(10):
        assert_error(login(client, studio.client_a1.email, "wrong password"), 401)
    response = login(client, studio.client_a1.email)  # even the right password, until the window passes
    assert_error(response, 429)
    assert 1 <= int(response.headers["retry-after"]) <= 15 * 60
    assert login(client, studio.client_a2.email).status_code == 200  # another account from the same address


def test_successful_logins_do_not_count(client: TestClient, studio: Studio) -> None:
    for _ in range(9):
        assert_error(login(client, studio.client_a1.email, "wrong password"), 401)
    for _ in range(3):
        assert login(client, studio.client_a1.email).status_code == 200
    assert_error(login(client, studio.client_a1.email, "wrong password"), 401)
    assert_error(login(client, studio.client_a1.email), 429)


def test_account_block_lifts_when_the_window_passes(client: TestClient, studio: Studio,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for _ in range(10):
        login(client, studio.client_a1.email, "wrong password")
    wait = int(assert_error_429(login(client, studio.client_a1.email)))
    later = clock.now() + dt.timedelta(seconds=wait + 1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert login(client, studio.client_a1.email).status_code == 200


def assert_error_429(response: Any) -> str:
    assert_error(response, 429)
    return response.headers["retry-after"]  # type: ignore[no-any-return]


def test_fifty_failures_block_the_address(client: TestClient, studio: Studio) -> None:
    for number in range(50):
        assert_error(login(client, f"guess-{number}@example.test", "wrong password"), 401)
    response = login(client, studio.client_a1.email)
    assert_error(response, 429)
    assert int(response.headers["retry-after"]) >= 1


def test_password_hashing_queue_overflow_is_a_429() -> None:
    hasher = PasswordHasher(rounds=10, threads=1, queue=0)
    outcomes: list[Any] = []

    async def attempt() -> None:
        try:
            outcomes.append(await hasher.hash("a good password"))
        except ApiError as error:
            outcomes.append(error)

    async def storm() -> None:
        async with anyio.create_task_group() as group:
            for _ in range(3):
                group.start_soon(attempt)

    anyio.run(storm)
    refused = [o for o in outcomes if isinstance(o, ApiError)]
    assert len(refused) == 2 and refused[0].status_code == 429 and refused[0].headers == {"Retry-After": "1"}


# --- me and password ---

def test_me_answers_the_callers_user(client: TestClient, studio: Studio) -> None:
    body = client.get("/api/auth/me", headers=studio.trainer_b.headers).json()
    assert body["id"] == studio.trainer_b.id and body["role"] == "trainer"
    assert set(body) == {"id", "email", "full_name", "role", "trainer_id", "is_active", "created_at", "updated_at",
                         "profile", "units_weight", "units_length", "language"}


def test_me_needs_a_token(client: TestClient) -> None:
    assert_error(client.get("/api/auth/me"), 401)


def test_password_change_with_a_wrong_current_password_is_a_403(client: TestClient, studio: Studio) -> None:
    assert_error(client.post("/api/auth/password", headers=studio.client_a1.headers,
                             json={"current_password": "not it at all", "new_password": "another password"}), 403)
    assert login(client, studio.client_a1.email).status_code == 200


def test_password_change_guesses_count_as_failed_logins(client: TestClient, studio: Studio) -> None:
    for _ in range(10):
        client.post("/api/auth/password", headers=studio.client_a1.headers,
                    json={"current_password": "a wrong guess", "new_password": "another password"})
    assert_error(client.post("/api/auth/password", headers=studio.client_a1.headers,
                             json={"current_password": PASSWORD, "new_password": "another password"}), 429)


# --- register ---

def test_register_with_a_trainers_invite_makes_their_client(client: TestClient, studio: Studio) -> None:
    response = register(client, invite_code=invite(client, studio.trainer_a))
    assert response.status_code == 201, response.text
    user = response.json()
    assert user["role"] == "client" and user["trainer_id"] == studio.trainer_a.id
    assert login(client, "new@example.test", "a good password").status_code == 200


def test_register_with_an_admins_trainer_invite_makes_a_trainer(client: TestClient, studio: Studio) -> None:
    user = register(client, invite_code=invite(client, studio.admin, role="trainer")).json()
    assert user["role"] == "trainer" and user["trainer_id"] is None


def test_register_without_invite_is_a_403_by_default(client: TestClient) -> None:
    assert_error(register(client), 403)


def test_register_without_invite_when_allowed_makes_an_unassigned_client(settings: Settings) -> None:
    with TestClient(create_app(settings.with_overrides(allow_registration=True))) as open_client:
        response = register(open_client)
        assert response.status_code == 201
        assert response.json()["role"] == "client" and response.json()["trainer_id"] is None


@pytest.mark.parametrize("extra", [{"role": "admin"}, {"trainer_id": 1}, {"is_active": True}])
def test_register_refuses_role_and_trainer_fields(client: TestClient, studio: Studio, extra: dict[str, Any]) -> None:
    assert_error(register(client, invite_code=invite(client, studio.trainer_a), **extra), 422)


def test_register_with_a_used_invite_is_a_410(client: TestClient, studio: Studio) -> None:
    code = invite(client, studio.trainer_a)
    assert register(client, invite_code=code).status_code == 201
    assert_error(register(client, invite_code=code, email="second@example.test"), 410)


def test_register_with_an_expired_invite_is_a_410(client: TestClient, studio: Studio,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    code = invite(client, studio.trainer_a)
    later = clock.now() + dt.timedelta(days=7, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert_error(register(client, invite_code=code), 410)


def test_register_with_an_unknown_invite_is_a_404(client: TestClient) -> None:
    assert_error(register(client, invite_code="no-such-code"), 404)


def test_register_with_an_invite_for_another_email_is_a_403(client: TestClient, studio: Studio) -> None:
    code = invite(client, studio.trainer_a, email="someone@example.test")
    assert_error(register(client, invite_code=code), 403)
    assert register(client, invite_code=code, email="someone@example.test").status_code == 201


def test_register_with_a_taken_email_is_a_409_and_keeps_the_invite(client: TestClient, studio: Studio) -> None:
    code = invite(client, studio.trainer_a)
    assert_error(register(client, invite_code=code, email=studio.client_b1.email), 409)
    assert register(client, invite_code=code).status_code == 201


# --- the command line ---

def test_create_admin_command_reads_the_password_from_stdin(settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "ELIOR_DATA_DIR": str(tmp_path / "cli"),
           "SECRET_KEY": settings.secret_key}
    done = subprocess.run([sys.executable, "-m", "elior", "create-admin", "--email", "cli@example.test",
                           "--full-name", "From The Shell"], input="a shell password\n", text=True,
                          capture_output=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "a shell password" not in done.stdout + done.stderr
    with TestClient(create_app(settings)) as started:
        response = login(started, "cli@example.test", "a shell password")
        assert response.status_code == 200 and response.json()["user"]["role"] == "admin"


def test_create_admin_command_refuses_a_short_password(settings: Settings, tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": settings.database_url, "ELIOR_DATA_DIR": str(tmp_path / "cli")}
    done = subprocess.run([sys.executable, "-m", "elior", "create-admin", "--email", "cli@example.test"],
                          input="short\n", text=True, capture_output=True, cwd=ROOT, env=env, timeout=60)
    assert done.returncode != 0 and "at least 8 characters" in done.stderr


def test_make_person_still_works_with_the_helpers(client: TestClient) -> None:
    person = make_person(client, "client")
    assert client.get("/api/auth/me", headers=person.headers).json()["email"] == person.email

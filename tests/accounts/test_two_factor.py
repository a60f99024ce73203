"""Two-factor sign-in (issue 17): enrolment with a QR code, login with a TOTP code under a clock the test moves,
replays refused, single-use recovery codes, the studio's requirement, the form login, encryption at rest."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pyotp
import pytest
from starlette.testclient import TestClient

from elior import clock
from tests.helpers import PASSWORD, Person, Studio, assert_error, run


class MovableClock:
    """elior.clock.now() at the start of a fresh 30-second step, until the test moves it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real = clock.now()
        self.at = real - dt.timedelta(seconds=int(real.timestamp()) % 30)
        monkeypatch.setattr(clock, "now", lambda: self.at)

    def move(self, **delta: float) -> None:
        self.at += dt.timedelta(**delta)


@pytest.fixture
def moving_clock(monkeypatch: pytest.MonkeyPatch) -> MovableClock:
    return MovableClock(monkeypatch)


def code_at(secret: str, when: dt.datetime) -> str:
    return pyotp.TOTP(secret).at(when)


def enrol(client: TestClient, person: Person, moving_clock: MovableClock) -> tuple[str, list[str]]:
    """Turn two-factor on for `person`: the secret and the recovery codes. Moves the clock past the code used."""
    started = client.post("/api/auth/two-factor", headers=person.headers)
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    confirmed = client.post("/api/auth/two-factor/confirm", headers=person.headers,
                            json={"code": code_at(secret, moving_clock.at)})
    assert confirmed.status_code == 200, confirmed.text
    moving_clock.move(seconds=30)
    return secret, confirmed.json()["recovery_codes"]


def login(client: TestClient, person: Person, **extra: Any) -> Any:
    return client.post("/api/auth/login", json={"email": person.email, "password": PASSWORD, **extra})


def detail_code(response: Any, status: int) -> str:
    body = assert_error(response, status)
    return str(body["detail"]["code"])


def test_enrolment_answers_a_secret_an_otpauth_url_and_an_svg_qr(client: TestClient, studio: Studio) -> None:
    response = client.post("/api/auth/two-factor", headers=studio.trainer_a.headers)
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"secret", "otpauth_url", "qr_svg"}
    assert body["otpauth_url"].startswith("otpauth://totp/") and f"secret={body['secret']}" in body["otpauth_url"]
    assert body["qr_svg"].startswith("<svg") and "<path" in body["qr_svg"]
    assert response.headers["cache-control"] == "no-store"
    # Not on until a code confirms it: login still takes the password alone.
    assert login(client, studio.trainer_a).status_code == 200


def test_login_needs_the_code_once_confirmed(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    secret, codes = enrol(client, studio.trainer_a, moving_clock)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert detail_code(login(client, studio.trainer_a), 401) == "two_factor_required"
    assert detail_code(login(client, studio.trainer_a, code="000000" if code_at(secret, moving_clock.at) != "000000"
                             else "111111"), 401) == "two_factor_required"
    response = login(client, studio.trainer_a, code=code_at(secret, moving_clock.at))
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == studio.trainer_a.id
    status = client.get("/api/auth/two-factor", headers=studio.trainer_a.headers).json()
    assert status == {"enabled": True, "pending": False, "required": False, "recovery_codes_left": 10}


def test_a_replayed_code_is_refused_within_its_window(client: TestClient, studio: Studio,
                                                      moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.trainer_a, moving_clock)
    code = code_at(secret, moving_clock.at)
    assert login(client, studio.trainer_a, code=code).status_code == 200
    moving_clock.move(seconds=10)  # same step, then the next: the code is still inside its window both times
    assert detail_code(login(client, studio.trainer_a, code=code), 401) == "two_factor_required"
    moving_clock.move(seconds=30)
    assert detail_code(login(client, studio.trainer_a, code=code), 401) == "two_factor_required"
    assert login(client, studio.trainer_a, code=code_at(secret, moving_clock.at)).status_code == 200


def test_a_code_from_the_neighbouring_step_is_accepted_and_an_old_one_is_not(
        client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.trainer_a, moving_clock)
    late = code_at(secret, moving_clock.at)
    moving_clock.move(seconds=30)  # a phone 30 s behind: still taken
    assert login(client, studio.trainer_a, code=late).status_code == 200
    stale = code_at(secret, moving_clock.at + dt.timedelta(seconds=30))
    moving_clock.move(seconds=150)
    assert detail_code(login(client, studio.trainer_a, code=stale), 401) == "two_factor_required"


def test_recovery_codes_work_once_each(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    _, codes = enrol(client, studio.trainer_a, moving_clock)
    assert login(client, studio.trainer_a, recovery_code=codes[0]).status_code == 200
    assert detail_code(login(client, studio.trainer_a, recovery_code=codes[0]), 401) == "two_factor_required"
    assert login(client, studio.trainer_a, recovery_code=codes[1].upper()).status_code == 200  # typed in capitals
    left = client.get("/api/auth/two-factor", headers=studio.trainer_a.headers).json()["recovery_codes_left"]
    assert left == 8


def test_the_form_login_takes_the_code(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.trainer_a, moving_clock)
    form = {"username": studio.trainer_a.email, "password": PASSWORD, "grant_type": "password"}
    assert detail_code(client.post("/api/auth/login", data=form), 401) == "two_factor_required"
    response = client.post("/api/auth/login", data={**form, "code": code_at(secret, moving_clock.at)})
    assert response.status_code == 200, response.text


def test_wrong_codes_count_toward_the_login_limit(client: TestClient, studio: Studio,
                                                  moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.trainer_a, moving_clock)
    good = code_at(secret, moving_clock.at)
    wrong = next(c for c in ("123456", "654321", "111111") if c != good)
    for _ in range(10):
        assert login(client, studio.trainer_a, code=wrong).status_code == 401
    assert_error(login(client, studio.trainer_a, code=good), 429)


def test_a_wrong_confirmation_code_leaves_two_factor_off(client: TestClient, studio: Studio,
                                                         moving_clock: MovableClock) -> None:
    secret = client.post("/api/auth/two-factor", headers=studio.client_a1.headers).json()["secret"]
    wrong = next(c for c in ("123456", "654321", "111111") if c != code_at(secret, moving_clock.at))
    assert_error(client.post("/api/auth/two-factor/confirm", headers=studio.client_a1.headers,
                             json={"code": wrong}), 422)
    assert login(client, studio.client_a1).status_code == 200
    status = client.get("/api/auth/two-factor", headers=studio.client_a1.headers).json()
    assert status["enabled"] is False and status["pending"] is True


def test_enrolling_again_while_on_is_a_conflict(client: TestClient, studio: Studio,
                                                moving_clock: MovableClock) -> None:
    enrol(client, studio.trainer_a, moving_clock)
    assert_error(client.post("/api/auth/two-factor", headers=studio.trainer_a.headers), 409)
    assert_error(client.post("/api/auth/two-factor"), 401)


def test_turning_it_off_needs_the_password_or_a_code(client: TestClient, studio: Studio,
                                                     moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.trainer_a, moving_clock)
    headers = studio.trainer_a.headers
    assert_error(client.request("DELETE", "/api/auth/two-factor", headers=headers, json={}), 422)
    assert_error(client.request("DELETE", "/api/auth/two-factor", headers=headers, json={"password": "nope nope"}), 403)
    assert login(client, studio.trainer_a).status_code == 401  # still on
    response = client.request("DELETE", "/api/auth/two-factor", headers=headers,
                              json={"code": code_at(secret, moving_clock.at)})
    assert response.status_code == 204, response.text
    assert login(client, studio.trainer_a).status_code == 200


def test_new_recovery_codes_replace_the_old(client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    secret, old = enrol(client, studio.trainer_a, moving_clock)
    response = client.post("/api/auth/two-factor/recovery-codes", headers=studio.trainer_a.headers,
                           json={"code": code_at(secret, moving_clock.at)})
    assert response.status_code == 200, response.text
    new = response.json()["recovery_codes"]
    assert detail_code(login(client, studio.trainer_a, recovery_code=old[0]), 401) == "two_factor_required"
    assert login(client, studio.trainer_a, recovery_code=new[0]).status_code == 200


def require(client: TestClient, **overrides: Any) -> None:
    """Change the running app's settings (read per request through call.settings)."""
    app = client.app
    app.state.settings = app.state.settings.with_overrides(**overrides)  # type: ignore[attr-defined]


def test_a_required_role_without_two_factor_gets_only_an_enrolment_token(
        client: TestClient, studio: Studio, moving_clock: MovableClock) -> None:
    require(client, require_two_factor=("trainer", "admin"))
    refused = login(client, studio.trainer_b)
    body = assert_error(refused, 403)
    assert body["detail"]["code"] == "two_factor_enrolment_required"
    token = body["detail"]["enrolment_token"]
    bearer = {"Authorization": f"Bearer {token}"}
    # It is no access token: nothing else takes it.
    assert_error(client.get("/api/auth/me", headers=bearer), 401)
    assert_error(client.get("/api/users", headers=bearer), 401)
    assert_error(client.post("/api/auth/refresh", json={"refresh_token": token}), 401)
    started = client.post("/api/auth/two-factor", headers=bearer)
    assert started.status_code == 201, started.text
    secret = started.json()["secret"]
    confirmed = client.post("/api/auth/two-factor/confirm", headers=bearer,
                            json={"code": code_at(secret, moving_clock.at)})
    assert confirmed.status_code == 200, confirmed.text
    signed_in = confirmed.json()
    assert len(signed_in["recovery_codes"]) == 10 and signed_in["user"]["id"] == studio.trainer_b.id
    me = client.get("/api/auth/me", headers={"Authorization": f"Bearer {signed_in['access_token']}"})
    assert me.status_code == 200
    # From now on the password alone is not enough, and a required role may not turn it off.
    assert detail_code(login(client, studio.trainer_b), 401) == "two_factor_required"
    moving_clock.move(seconds=30)
    assert login(client, studio.trainer_b, code=code_at(secret, moving_clock.at)).status_code == 200
    assert_error(client.request("DELETE", "/api/auth/two-factor", headers=studio.trainer_b.headers,
                                json={"password": PASSWORD}), 403)


def test_a_role_not_required_signs_in_with_the_password(client: TestClient, studio: Studio) -> None:
    require(client, require_two_factor=("trainer", "admin"))
    assert login(client, studio.client_a1).status_code == 200
    assert detail_code(login(client, studio.admin), 403) == "two_factor_enrolment_required"


def test_a_wrong_password_says_nothing_of_two_factor(client: TestClient, studio: Studio) -> None:
    body = assert_error(client.post("/api/auth/login", json={"email": studio.trainer_a.email,
                                                             "password": "wrong password"}), 401)
    assert isinstance(body["detail"], str)


def test_the_secret_is_encrypted_at_rest_with_a_key(client: TestClient, studio: Studio,
                                                    moving_clock: MovableClock) -> None:
    require(client, file_encryption_key=secrets.token_hex(32))
    secret, _ = enrol(client, studio.client_a1, moving_clock)
    row = run(client, client.app.state.db.fetch_one, "accounts.two_factor.get",  # type: ignore[attr-defined]
              user_id=studio.client_a1.id)
    assert row["secret"].startswith("aesgcm:") and secret not in row["secret"]
    assert login(client, studio.client_a1, code=code_at(secret, moving_clock.at)).status_code == 200


def test_without_a_key_the_secret_is_stored_as_is(client: TestClient, studio: Studio,
                                                  moving_clock: MovableClock) -> None:
    secret, _ = enrol(client, studio.client_a1, moving_clock)
    row = run(client, client.app.state.db.fetch_one, "accounts.two_factor.get",  # type: ignore[attr-defined]
              user_id=studio.client_a1.id)
    assert row["secret"] == "plain:" + secret
